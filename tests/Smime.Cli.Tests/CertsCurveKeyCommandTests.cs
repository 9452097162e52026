using System.Security.Cryptography;
using Smime.Cli.Tests.Support;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>
/// Ed25519 and X25519 identities through the store, each step a separate `smime` process:
/// import once, then sign or decrypt with no key file named.
/// </summary>
public sealed class CertsCurveKeyCommandTests
{
    private const string StorePassword = "store pass";

    private static string WriteIdentity(TempDir dir, string name, string keyOid)
    {
        using CertificateKey key = CurveCertificates.Issue(
            TestPki.Shared, $"{name}@example.com", keyOid);
        File.WriteAllText(dir.File(name + ".crt"), key.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(dir.File(name + ".key"),
            PemEncoding.WriteString("PRIVATE KEY", key.Pkcs8PrivateKey) + "\n");
        File.WriteAllText(dir.File(name + ".pem"), File.ReadAllText(dir.File(name + ".crt"))
            + File.ReadAllText(dir.File(name + ".key")));
        return name + ".pem";
    }

    [Fact]
    public void SignFrom_Ed25519ImportedAsPemInAnEarlierProcess_VerifiesInTheNext()
    {
        // openssl 3.0 has no Ed25519 in CMS (PEERS.md): the check is our own verify, in a
        // further process, against the root trusted in the store.
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        File.WriteAllText(dir.File("message.eml"),
            Files.Message.Replace("alice@example.com", "ed@example.com"));
        string pem = WriteIdentity(dir, "ed", CurveCertificates.Ed25519);
        string store = dir.File("store");

        Peer.Result import = CliRunner.RunExecutable(dir.Path, null, "certs", "import", pem,
            "--password", StorePassword, "--store", store);
        Peer.Result trust = CliRunner.RunExecutable(dir.Path, null, "certs", "import",
            "root.pem", "--trust", "--store", store);
        Peer.Result sign = CliRunner.RunExecutable(dir.Path, null, "sign", "message.eml",
            "-o", "signed.eml", "--password", StorePassword, "--store", store);
        Peer.Result verify = CliRunner.RunExecutable(dir.Path, null, "verify", "signed.eml",
            "--store", store, "--no-harvest");
        Files.TamperBody(dir.File("signed.eml"), "this is a test.", "this is a fest.");
        Peer.Result tampered = CliRunner.RunExecutable(dir.Path, null, "verify", "signed.eml",
            "--store", store, "--no-harvest");

        Assert.True(import.ExitCode == 0, import.StdErr);
        Assert.Contains("CN=ed@example.com (with private key)", import.StdOut);
        Assert.Equal(0, trust.ExitCode);
        Assert.True(sign.ExitCode == 0, sign.StdErr);
        Assert.Contains("micalg=sha-512", File.ReadAllText(dir.File("signed.eml")));
        Assert.True(verify.ExitCode == 0, verify.StdOut + verify.StdErr);
        Assert.Contains("CN=ed@example.com", verify.StdOut);
        Assert.Equal(1, tampered.ExitCode);
    }

    [Fact]
    public void SignFrom_Ed25519WrongStorePassword_ExitTwoNothingWritten()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        string pem = WriteIdentity(dir, "ed", CurveCertificates.Ed25519);
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File(pem), "--password", StorePassword,
            "--store", store);

        CliRunner.Result sign = CliRunner.Run("sign", dir.File("message.eml"), "-o",
            dir.File("signed.eml"), "--from", "ed@example.com", "--password", "wrong",
            "--store", store);

        Assert.Equal(2, sign.ExitCode);
        Assert.Equal("smime: The passphrase does not open the private key of "
            + "'CN=ed@example.com'.", sign.StdErr.Trim());
        Assert.False(File.Exists(dir.File("signed.eml")));
    }

    [Fact]
    public void Decrypt_X25519Pkcs12ImportedInAnEarlierProcess_FromTheStore()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        WriteIdentity(dir, "xavier", CurveCertificates.X25519);
        Peer.OpenSsl(dir.Path, "pkcs12", "-export", "-in", "xavier.crt", "-inkey", "xavier.key",
            "-out", "xavier.p12", "-passout", "pass:" + Files.Password);
        string store = dir.File("store");

        Peer.Result import = CliRunner.RunExecutable(dir.Path, null, "certs", "import",
            "xavier.p12", "--password", Files.Password, "--store", store);
        Peer.Result encrypt = CliRunner.RunExecutable(dir.Path, null, "encrypt", "message.eml",
            "--to", "xavier.crt", "-o", "encrypted.eml");
        Peer.Result decrypt = CliRunner.RunExecutable(dir.Path, null, "decrypt", "encrypted.eml",
            "-o", "decrypted.eml", "--password", Files.Password, "--store", store);

        Assert.True(import.ExitCode == 0, import.StdErr);
        Assert.Contains("CN=xavier@example.com (with private key)", import.StdOut);
        Assert.True(encrypt.ExitCode == 0, encrypt.StdErr);
        Assert.True(decrypt.ExitCode == 0, decrypt.StdErr);
        Assert.Contains("this is a test.", File.ReadAllText(dir.File("decrypted.eml")));
    }

    [Fact]
    public void Decrypt_StoreKeyOfSomeoneElse_RefusedNoPlaintext()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        WriteIdentity(dir, "xavier", CurveCertificates.X25519);
        string other = WriteIdentity(dir, "yves", CurveCertificates.X25519);
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File(other), "--password", StorePassword,
            "--store", store);
        CliRunner.Run("encrypt", dir.File("message.eml"), "--to", dir.File("xavier.crt"),
            "-o", dir.File("encrypted.eml"));

        CliRunner.Result decrypt = CliRunner.Run("decrypt", dir.File("encrypted.eml"),
            "-o", dir.File("decrypted.eml"), "--password", StorePassword, "--store", store);

        Assert.Equal(1, decrypt.ExitCode);
        Assert.False(File.Exists(dir.File("decrypted.eml")));
    }
}
