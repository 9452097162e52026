using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

/// <summary>Every file format is made by openssl, as a user would have it.</summary>
public sealed class CertificateLoaderTests
{
    private const string Password = "pass word";

    [Fact]
    public void LoadCertificates_PemWithTwo_ReturnsBothInOrder()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");
        MakeSelfSigned(dir, "b");
        File.WriteAllText(dir.File("both.pem"),
            File.ReadAllText(dir.File("a.crt")) + File.ReadAllText(dir.File("b.crt")));

        X509Certificate2Collection certificates = CertificateLoader.LoadCertificates(dir.File("both.pem"));

        Assert.Equal(["CN=a", "CN=b"], certificates.Select(c => c.Subject));
        Assert.All(certificates, c => Assert.False(c.HasPrivateKey));
    }

    [Fact]
    public void LoadCertificates_Der_ReturnsTheCertificate()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");
        Peer.OpenSsl(dir.Path, "x509", "-in", "a.crt", "-outform", "DER", "-out", "a.der");

        X509Certificate2Collection certificates = CertificateLoader.LoadCertificates(dir.File("a.der"));

        Assert.Equal("CN=a", Assert.Single(certificates).Subject);
    }

    [Theory]
    [InlineData("PEM")]
    [InlineData("DER")]
    public void LoadCertificates_Pkcs7CertsOnly_ReturnsEveryCertificate(string form)
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");
        MakeSelfSigned(dir, "b");
        Peer.OpenSsl(dir.Path, "crl2pkcs7", "-nocrl", "-certfile", "a.crt", "-certfile", "b.crt",
            "-outform", form, "-out", "bundle.p7c");

        X509Certificate2Collection certificates = CertificateLoader.LoadCertificates(dir.File("bundle.p7c"));

        Assert.Equal(["CN=a", "CN=b"], certificates.Select(c => c.Subject).Order());
    }

    [Fact]
    public void LoadCertificates_Pkcs12_ReturnsCertificatesWithKey()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");
        MakeSelfSigned(dir, "ca");
        Peer.OpenSsl(dir.Path, "pkcs12", "-export", "-in", "a.crt", "-inkey", "a.key",
            "-certfile", "ca.crt", "-passout", $"pass:{Password}", "-out", "a.p12");

        X509Certificate2Collection certificates =
            CertificateLoader.LoadCertificates(dir.File("a.p12"), Password);

        Assert.Equal(2, certificates.Count);
        Assert.True(certificates.Single(c => c.Subject == "CN=a").HasPrivateKey);
    }

    [Fact]
    public void LoadCertificates_Pkcs12WrongPassword_SaysSo()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");
        Peer.OpenSsl(dir.Path, "pkcs12", "-export", "-in", "a.crt", "-inkey", "a.key",
            "-passout", $"pass:{Password}", "-out", "alice.p12");

        var e = Assert.Throws<CertificateLoadException>(
            () => CertificateLoader.LoadCertificates(dir.File("alice.p12"), "wrong"));

        Assert.Equal($"{dir.File("alice.p12")}: wrong password or not a PKCS#12 file.", e.Message);
    }

    [Fact]
    public void LoadCertificates_Garbage_NamesTheFile()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("x.crt"), [0x30, 0x03, 0x02, 0x01, 0x05]);

        var e = Assert.Throws<CertificateLoadException>(
            () => CertificateLoader.LoadCertificates(dir.File("x.crt")));

        Assert.Equal(dir.File("x.crt"), e.FileName);
        Assert.Equal("is not a certificate file (PEM, DER, PKCS#7 or PKCS#12).", e.Problem);
    }

    [Fact]
    public void LoadCertificates_PemWithOnlyAKey_SaysNoCertificate()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");

        var e = Assert.Throws<CertificateLoadException>(
            () => CertificateLoader.LoadCertificates(dir.File("a.key")));

        Assert.Equal("holds no certificate.", e.Problem);
    }

    [Fact]
    public void LoadCertificates_Missing_SaysNoSuchFile()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<CertificateLoadException>(
            () => CertificateLoader.LoadCertificates(dir.File("none.pem")));

        Assert.Equal("no such file.", e.Problem);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadIdentity_Pkcs12_ReturnsTheKeyHolder(bool legacy)
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");
        MakeSelfSigned(dir, "ca");
        string[] args = ["pkcs12", "-export", "-in", "a.crt", "-inkey", "a.key",
            "-certfile", "ca.crt", "-passout", $"pass:{Password}", "-out", "a.p12"];
        Peer.OpenSsl(dir.Path, legacy ? [.. args, "-legacy"] : args);

        using X509Certificate2 identity =
            CertificateLoader.LoadIdentity(dir.File("a.p12"), password: Password);

        Assert.Equal("CN=a", identity.Subject);
        Assert.True(identity.HasPrivateKey);
    }

    [Fact]
    public void LoadIdentity_CertAndPkcs8Key_AttachesTheKey()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");

        using X509Certificate2 identity =
            CertificateLoader.LoadIdentity(dir.File("a.crt"), dir.File("a.key"));

        Assert.True(identity.HasPrivateKey);
        Assert.NotNull(identity.GetRSAPrivateKey());
    }

    [Fact]
    public void LoadIdentity_EncryptedPkcs8_NeedsThePassword()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");
        Peer.OpenSsl(dir.Path, "pkcs8", "-topk8", "-in", "a.key", "-v2", "aes-256-cbc",
            "-passout", $"pass:{Password}", "-out", "a.enc.key");

        using X509Certificate2 identity =
            CertificateLoader.LoadIdentity(dir.File("a.crt"), dir.File("a.enc.key"), Password);
        var missing = Assert.Throws<CertificateLoadException>(
            () => CertificateLoader.LoadIdentity(dir.File("a.crt"), dir.File("a.enc.key")));
        var wrong = Assert.Throws<CertificateLoadException>(
            () => CertificateLoader.LoadIdentity(dir.File("a.crt"), dir.File("a.enc.key"), "wrong"));

        Assert.True(identity.HasPrivateKey);
        Assert.Equal("the private key is encrypted; give its password.", missing.Problem);
        Assert.Equal("wrong password, or the key does not match the certificate.", wrong.Problem);
    }

    [Fact]
    public void LoadIdentity_Pkcs1RsaKey_AttachesTheKey()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");
        Peer.OpenSsl(dir.Path, "rsa", "-in", "a.key", "-traditional", "-out", "a.rsa.key");
        Assert.Contains("BEGIN RSA PRIVATE KEY", File.ReadAllText(dir.File("a.rsa.key")));

        using X509Certificate2 identity =
            CertificateLoader.LoadIdentity(dir.File("a.crt"), dir.File("a.rsa.key"));

        Assert.True(identity.HasPrivateKey);
    }

    [Fact]
    public void LoadIdentity_Sec1EcKey_AttachesTheKey()
    {
        using var dir = new TempDir();
        Peer.OpenSsl(dir.Path, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
        Peer.OpenSsl(dir.Path, "req", "-x509", "-new", "-key", "ec.key", "-subj", "/CN=ec",
            "-days", "2", "-out", "ec.crt");
        Assert.Contains("BEGIN EC PRIVATE KEY", File.ReadAllText(dir.File("ec.key")));

        using X509Certificate2 identity =
            CertificateLoader.LoadIdentity(dir.File("ec.crt"), dir.File("ec.key"));

        Assert.NotNull(identity.GetECDsaPrivateKey());
    }

    [Fact]
    public void LoadIdentity_OnePemWithChainAndKey_PicksTheMatchingCertificate()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");
        MakeSelfSigned(dir, "ca");
        File.WriteAllText(dir.File("all.pem"), File.ReadAllText(dir.File("ca.crt"))
            + File.ReadAllText(dir.File("a.crt")) + File.ReadAllText(dir.File("a.key")));

        using X509Certificate2 identity = CertificateLoader.LoadIdentity(dir.File("all.pem"));

        Assert.Equal("CN=a", identity.Subject);
        Assert.True(identity.HasPrivateKey);
    }

    [Fact]
    public void LoadIdentity_KeyOfAnotherCertificate_IsRefused()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");
        MakeSelfSigned(dir, "b");

        var e = Assert.Throws<CertificateLoadException>(
            () => CertificateLoader.LoadIdentity(dir.File("a.crt"), dir.File("b.key")));

        Assert.Equal(dir.File("b.key"), e.FileName);
        Assert.Equal("the private key does not match the certificate, or cannot be read.", e.Problem);
    }

    [Fact]
    public void LoadIdentity_CertificateWithoutKey_SaysNoPrivateKey()
    {
        using var dir = new TempDir();
        MakeSelfSigned(dir, "a");

        var e = Assert.Throws<CertificateLoadException>(
            () => CertificateLoader.LoadIdentity(dir.File("a.crt")));

        Assert.Equal("holds no private key.", e.Problem);
    }

    private static void MakeSelfSigned(TempDir dir, string name) =>
        Peer.OpenSsl(dir.Path, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", name + ".key", "-out", name + ".crt", "-subj", "/CN=" + name, "-days", "2");
}
