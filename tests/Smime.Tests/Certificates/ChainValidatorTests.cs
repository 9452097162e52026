using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

public sealed class ChainValidatorTests
{
    private static X509Certificate2Collection Anchors => [TestPki.Shared.Root];

    [Fact]
    public void Validate_IssuedByAnchor_Trusted()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("alice@example.com");

        ChainResult result = ChainValidator.Validate(cert, Anchors, []);

        Assert.Equal(ChainOutcome.Trusted, result.Outcome);
        Assert.Equal(2, result.Chain.Count);
        Assert.Equal(TestPki.Shared.Root.Thumbprint, result.Chain[1].Thumbprint);
    }

    [Fact]
    public void Validate_NotAfterInThePast_Expired()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 cert = TestPki.Shared.Issue(
            "old@example.com", notBefore: now.AddDays(-1.5), notAfter: now.AddHours(-1));

        ChainResult result = ChainValidator.Validate(cert, Anchors, []);

        Assert.Equal(ChainOutcome.Expired, result.Outcome);
        Assert.Contains("CN=old@example.com", result.Reason);
    }

    [Fact]
    public void Validate_AtTimeBeforeNotBefore_NotYetValid()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("alice@example.com");

        ChainResult result = ChainValidator.Validate(
            cert, Anchors, [], DateTimeOffset.UtcNow.AddDays(-1.5));

        Assert.Equal(ChainOutcome.NotYetValid, result.Outcome);
    }

    [Fact]
    public void Validate_AtTimeWhileValid_TrustedEvenIfExpiredNow()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 cert = TestPki.Shared.Issue(
            "old@example.com", notBefore: now.AddDays(-1.5), notAfter: now.AddHours(-1));

        ChainResult result = ChainValidator.Validate(cert, Anchors, [], now.AddDays(-1));

        Assert.Equal(ChainOutcome.Trusted, result.Outcome);
    }

    [Fact]
    public void Validate_NoAnchors_NoPathToAnchor()
    {
        using X509Certificate2 cert = TestPki.Shared.Issue("alice@example.com");

        ChainResult result = ChainValidator.Validate(cert, [], []);

        Assert.Equal(ChainOutcome.NoPathToAnchor, result.Outcome);
        Assert.Contains("no trust anchors were given", result.Reason);
    }

    [Fact]
    public void Validate_OtherRoot_NoPathToAnchor()
    {
        using var other = new TestPki("CN=Other Root");
        using X509Certificate2 cert = other.Issue("mallory@example.com");

        ChainResult result = ChainValidator.Validate(cert, Anchors, []);

        Assert.Equal(ChainOutcome.NoPathToAnchor, result.Outcome);
        Assert.Contains("CN=mallory@example.com", result.Reason);
    }

    [Fact]
    public void Validate_ServerAuthOnlyEku_WrongUsage()
    {
        using X509Certificate2 cert = IssueWith(
            new X509EnhancedKeyUsageExtension(
                new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false),
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));

        ChainResult result = ChainValidator.Validate(cert, Anchors, []);

        Assert.Equal(ChainOutcome.WrongUsage, result.Outcome);
        Assert.Contains("emailProtection", result.Reason);
    }

    [Fact]
    public void Validate_KeyEnciphermentOnly_WrongUsage()
    {
        using X509Certificate2 cert = IssueWith(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, true));

        ChainResult result = ChainValidator.Validate(cert, Anchors, []);

        Assert.Equal(ChainOutcome.WrongUsage, result.Outcome);
        Assert.Contains("digitalSignature", result.Reason);
    }

    [Fact]
    public void Validate_AnyExtendedKeyUsage_Trusted()
    {
        using X509Certificate2 cert = IssueWith(
            new X509EnhancedKeyUsageExtension(
                new OidCollection { new Oid("2.5.29.37.0") }, false));

        ChainResult result = ChainValidator.Validate(cert, Anchors, []);

        Assert.Equal(ChainOutcome.Trusted, result.Outcome);
    }

    [Fact]
    public void Validate_PublicKeyDamaged_InvalidNotAnException()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] der = alice.RawData;
        byte[] key = alice.PublicKey.EncodedKeyValue.RawData;
        int at = der.AsSpan().IndexOf(key);
        der[at] = 0xFF; // the RSAPublicKey SEQUENCE tag: the key no longer parses
        using X509Certificate2 damaged = X509CertificateLoader.LoadCertificate(der);

        ChainResult result = ChainValidator.Validate(damaged, Anchors, []);

        Assert.Equal(ChainOutcome.Invalid, result.Outcome);
        Assert.StartsWith($"The certificate '{damaged.Subject}' could not be checked", result.Reason);
    }

    private static X509Certificate2 IssueWith(params X509Extension[] extensions)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=usage@example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        foreach (X509Extension extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using X509Certificate2 cert = request.Create(
            TestPki.Shared.Root, now.AddDays(-1), now.AddDays(30), serial);
        return cert.CopyWithPrivateKey(key);
    }
}
