using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

/// <summary>
/// LoadIdentityOrKey with the RFC 8410 keys .NET cannot attach (Ed25519, X25519, X448), in the
/// files openssl makes: a self-signed Ed25519 certificate, and X25519/X448 certificates issued
/// by an EC key with -force_pubkey.
/// </summary>
public sealed class CertificateLoaderRawKeyTests
{
    private const string Password = "pass word";

    [Theory]
    [InlineData("ed25519", "1.3.101.112", false)]
    [InlineData("ed25519", "1.3.101.112", true)]
    [InlineData("x25519", "1.3.101.110", false)]
    [InlineData("x25519", "1.3.101.110", true)]
    [InlineData("x448", "1.3.101.111", false)]
    public void LoadIdentityOrKey_Rfc8410Key_ReturnsKeyBesideCertificate(
        string algorithm,
        string oid,
        bool encrypted)
    {
        using var dir = new TempDir();
        Make(dir, "a", algorithm, encrypted);

        LoadedIdentity identity = CertificateLoader.LoadIdentityOrKey(
            dir.File("a.crt"), dir.File("a.key"), encrypted ? Password : null);

        Assert.Equal("CN=a", identity.Certificate.Subject);
        Assert.NotNull(identity.Key);
        Assert.Equal(oid, identity.Key.KeyAlgorithmOid);
        Assert.Same(identity.Certificate, identity.Key.Certificate);
    }

    [Fact]
    public void LoadIdentityOrKey_KeyAndCertificateInOnePem_Found()
    {
        using var dir = new TempDir();
        Make(dir, "a", "ed25519", encrypted: false);
        File.WriteAllText(dir.File("both.pem"),
            File.ReadAllText(dir.File("a.key")) + File.ReadAllText(dir.File("a.crt")));

        LoadedIdentity identity = CertificateLoader.LoadIdentityOrKey(dir.File("both.pem"));

        Assert.Equal(Oids.Ed25519, identity.Key!.KeyAlgorithmOid);
    }

    [Fact]
    public void LoadIdentityOrKey_AnotherX25519Key_Refused()
    {
        using var dir = new TempDir();
        Make(dir, "a", "x25519", encrypted: false);
        Peer.OpenSsl(dir.Path, "genpkey", "-algorithm", "x25519", "-out", "other.key");

        CertificateLoadException e = Assert.Throws<CertificateLoadException>(() =>
            CertificateLoader.LoadIdentityOrKey(dir.File("a.crt"), dir.File("other.key")));

        Assert.Contains("does not match the certificate", e.Message);
    }

    [Fact]
    public void LoadIdentityOrKey_EncryptedWrongPassword_Refused()
    {
        using var dir = new TempDir();
        Make(dir, "a", "ed25519", encrypted: true);

        CertificateLoadException e = Assert.Throws<CertificateLoadException>(() =>
            CertificateLoader.LoadIdentityOrKey(dir.File("a.crt"), dir.File("a.key"), "nope"));

        Assert.Contains("wrong password", e.Message);
    }

    [Fact]
    public void LoadIdentityOrKey_RsaKey_AttachedNoRawKey()
    {
        using var dir = new TempDir();
        using X509Certificate2 user = TestPki.Shared.Issue("a@example.com");
        TestPki.WritePem(user, dir.File("a.crt"), dir.File("a.key"));

        LoadedIdentity identity = CertificateLoader.LoadIdentityOrKey(
            dir.File("a.crt"), dir.File("a.key"));

        Assert.Null(identity.Key);
        Assert.True(identity.Certificate.HasPrivateKey);
        Assert.Equal(user.Thumbprint, identity.Certificate.Thumbprint);
    }

    private static void Make(TempDir dir, string name, string algorithm, bool encrypted)
    {
        string plain = encrypted ? name + ".plain" : name + ".key";
        Peer.OpenSsl(dir.Path, "genpkey", "-algorithm", algorithm, "-out", plain);
        if (algorithm == "ed25519")
        {
            Peer.OpenSsl(dir.Path, "req", "-x509", "-key", plain, "-subj", "/CN=" + name,
                "-days", "30", "-out", name + ".crt");
        }
        else
        {
            Peer.OpenSsl(dir.Path, "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-subj", "/CN=ca", "-days", "30", "-out", "ca.crt");
            Peer.OpenSsl(dir.Path, "pkey", "-in", plain, "-pubout", "-out", name + ".pub");
            Peer.OpenSsl(dir.Path, "req", "-new", "-key", "ca.key", "-subj", "/CN=" + name,
                "-out", name + ".csr");
            Peer.OpenSsl(dir.Path, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt",
                "-CAkey", "ca.key", "-force_pubkey", name + ".pub", "-set_serial", "7",
                "-days", "30", "-out", name + ".crt");
        }

        if (encrypted)
        {
            Peer.OpenSsl(dir.Path, "pkcs8", "-topk8", "-in", plain, "-out", name + ".key",
                "-passout", "pass:" + Password);
        }
    }
}
