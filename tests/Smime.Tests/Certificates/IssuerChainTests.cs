using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;

namespace Smime.Tests.Certificates;

public sealed class IssuerChainTests
{
    [Fact]
    public void Find_RootIntermediateLeafAndStrangers_IntermediateOnly()
    {
        using RSA rootKey = RSA.Create(2048);
        using RSA intermediateKey = RSA.Create(2048);
        using RSA leafKey = RSA.Create(2048);
        using RSA otherKey = RSA.Create(2048);
        using X509Certificate2 root = SelfSigned("CN=Chain Root", rootKey);
        using X509Certificate2 intermediate = Issue("CN=Chain Issuing", intermediateKey, root, ca: true);
        using X509Certificate2 leaf = Issue("CN=leaf@example.com", leafKey, intermediate, ca: false);
        using X509Certificate2 other = SelfSigned("CN=Other Root", otherKey);

        IReadOnlyList<X509Certificate2> found =
            IssuerChain.Find(leaf, [other, root, leaf, intermediate]);

        X509Certificate2 only = Assert.Single(found);
        Assert.Equal(intermediate.RawData, only.RawData);
    }

    [Fact]
    public void Find_IssuerNotAmongCandidates_Empty()
    {
        using RSA rootKey = RSA.Create(2048);
        using RSA intermediateKey = RSA.Create(2048);
        using RSA leafKey = RSA.Create(2048);
        using X509Certificate2 root = SelfSigned("CN=Chain Root", rootKey);
        using X509Certificate2 intermediate = Issue("CN=Chain Issuing", intermediateKey, root, ca: true);
        using X509Certificate2 leaf = Issue("CN=leaf@example.com", leafKey, intermediate, ca: false);

        Assert.Empty(IssuerChain.Find(leaf, [root]));
    }

    [Fact]
    public void Find_ImpostorWithTheIssuerName_NotTaken()
    {
        using RSA rootKey = RSA.Create(2048);
        using RSA intermediateKey = RSA.Create(2048);
        using RSA impostorKey = RSA.Create(2048);
        using RSA leafKey = RSA.Create(2048);
        using X509Certificate2 root = SelfSigned("CN=Chain Root", rootKey);
        using X509Certificate2 intermediate = Issue("CN=Chain Issuing", intermediateKey, root, ca: true);
        using X509Certificate2 impostor = Issue("CN=Chain Issuing", impostorKey, root, ca: true);
        using X509Certificate2 leaf = Issue("CN=leaf@example.com", leafKey, intermediate, ca: false);

        IReadOnlyList<X509Certificate2> found = IssuerChain.Find(leaf, [impostor, root]);

        Assert.DoesNotContain(found, c => c.RawData.AsSpan().SequenceEqual(impostor.RawData));
    }

    private static X509Certificate2 SelfSigned(string name, RSA key)
    {
        var request = new CertificateRequest(
            name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    private static X509Certificate2 Issue(string name, RSA key, X509Certificate2 issuer, bool ca)
    {
        var request = new CertificateRequest(
            name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 issued =
            request.Create(issuer, now.AddHours(-1), issuer.NotAfter.AddDays(-1), serial);
        return issued.CopyWithPrivateKey(key);
    }
}
