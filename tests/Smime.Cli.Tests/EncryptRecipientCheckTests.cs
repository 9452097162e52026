using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>`encrypt --to FILE` refuses certificates the store's lookup would refuse.</summary>
public sealed class EncryptRecipientCheckTests
{
    [Fact]
    public void Encrypt_ToExpiredCertificate_ExitOneNothingWritten()
    {
        using var dir = new TempDir();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 old = TestPki.Shared.Issue("old@example.com",
            notBefore: now.AddHours(-30), notAfter: now.AddHours(-1));

        AssertRefused(dir, old, $"it expired on {old.NotAfter.ToUniversalTime():u}");
    }

    [Fact]
    public void Encrypt_ToNotYetValidCertificate_ExitOneNothingWritten()
    {
        using var dir = new TempDir();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 early = TestPki.Shared.Issue("early@example.com",
            notBefore: now.AddDays(2), notAfter: now.AddYears(1));

        AssertRefused(dir, early,
            $"it is not valid before {early.NotBefore.ToUniversalTime():u}");
    }

    [Fact]
    public void Encrypt_ToCaCertificateWithKeyCertSignOnly_ExitOneNothingWritten()
    {
        using var dir = new TempDir();
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Some CA", key, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 ca = request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        AssertRefused(dir, ca, "its keyUsage lacks keyEncipherment");
    }

    [Fact]
    public void Encrypt_ToRsaCertificateWithKeyAgreementOnly_ExitOne()
    {
        using var dir = new TempDir();
        using X509Certificate2 certificate = Leaf("CN=agree@example.com",
            X509KeyUsageFlags.KeyAgreement, "1.3.6.1.5.5.7.3.4");

        AssertRefused(dir, certificate, "its keyUsage lacks keyEncipherment");
    }

    [Fact]
    public void Encrypt_ToCertificateForServersOnly_ExitOne()
    {
        using var dir = new TempDir();
        using X509Certificate2 certificate = Leaf("CN=server@example.com",
            X509KeyUsageFlags.KeyEncipherment, "1.3.6.1.5.5.7.3.1");

        AssertRefused(dir, certificate,
            "its extendedKeyUsage has neither emailProtection nor anyExtendedKeyUsage");
    }

    [Fact]
    public void Encrypt_ToUsableEcCertificate_Encrypts()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User carol = Files.WriteUser(dir, "carol", TestKeyType.EcP256);

        CliRunner.Result run = CliRunner.Run("encrypt", dir.File("message.eml"), "--to",
            carol.Crt, "-o", dir.File("out.eml"));

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.True(File.Exists(dir.File("out.eml")));
    }

    private static void AssertRefused(TempDir dir, X509Certificate2 certificate, string why)
    {
        Files.WriteBasics(dir);
        string crt = dir.File("recipient.crt");
        TestPki.WritePem(certificate, crt);

        CliRunner.Result run = CliRunner.Run("encrypt", dir.File("message.eml"), "--to", crt,
            "-o", dir.File("out.eml"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"smime: {crt}: '{certificate.Subject}' cannot be encrypted to: {why}; "
            + "nothing was written.\n", run.StdErr);
        Assert.False(File.Exists(dir.File("out.eml")));
        Assert.Empty(run.StdOutBytes);
    }

    private static X509Certificate2 Leaf(string subject, X509KeyUsageFlags usages, string eku)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usages, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid(eku) }, false));
        return request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
