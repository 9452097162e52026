using System.Security.Cryptography.X509Certificates;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>
/// Identities from the store as the README shows them: the chain a signature carries, one key
/// with a signing and an encryption certificate, `encrypt --sign` and `verify` without files;
/// checked by `openssl cms` with the root alone as its anchor.
/// </summary>
public sealed class IdentityCommandTests : IClassFixture<IdentityPki>
{
    private const string FromAlice =
        "From: alice@example.com\r\nTo: bob@example.com\r\nSubject: identity\r\n"
        + "Content-Type: text/plain\r\n\r\nhello bob, from the store\r\n";
    private const string FromBob =
        "From: bob@example.com\r\nTo: alice@example.com\r\nSubject: identity\r\n"
        + "Content-Type: text/plain\r\n\r\nhello alice, from bob\r\n";

    private readonly IdentityPki _pki;

    public IdentityCommandTests(IdentityPki pki) => _pki = pki;

    [Fact]
    public void Sign_FromStoreHoldingIntermediate_CarriesItAndOpenSslVerifiesWithRootOnly()
    {
        using TempDir dir = Setup();
        Assert.Equal(0, Smime(dir, "alice", "certs", "import", dir.File("ca.pem")).ExitCode);
        Assert.Equal(0, Smime(dir, "alice", "certs", "import", dir.File("root.pem"),
            "--trust").ExitCode);

        CliRunner.Result sign = Smime(dir, "alice", "sign", dir.File("alice.eml"),
            "-o", dir.File("signed.eml"), "--password", IdentityPki.AlicePassword);

        Assert.True(sign.ExitCode == 0, sign.StdErr);
        AssertCarriesIntermediateNotRoot(dir, "signed.eml");
        AssertSmimeVerifiesWithRootOnly(dir, "signed.eml");
    }

    [Fact]
    public void Sign_FromStoreWithChainFile_CarriesItAndOpenSslVerifiesWithRootOnly()
    {
        using TempDir dir = Setup();

        CliRunner.Result sign = Smime(dir, "alice", "sign", dir.File("alice.eml"),
            "-o", dir.File("signed.eml"), "--password", IdentityPki.AlicePassword,
            "--chain", dir.File("int.pem"));

        Assert.True(sign.ExitCode == 0, sign.StdErr);
        AssertCarriesIntermediateNotRoot(dir, "signed.eml");
        AssertSmimeVerifiesWithRootOnly(dir, "signed.eml");
    }

    [Fact]
    public void Sign_FromStoreWithoutIntermediate_RootOnlyReaderCannotChain()
    {
        using TempDir dir = Setup();

        CliRunner.Result sign = Smime(dir, "alice", "sign", dir.File("alice.eml"),
            "-o", dir.File("signed.eml"), "--password", IdentityPki.AlicePassword);

        // The control for the two tests above: without the intermediate, openssl cannot
        // build the path, so their success is the chain's doing.
        Assert.True(sign.ExitCode == 0, sign.StdErr);
        Peer.Result verify = Peer.Run("openssl", ["cms", "-verify", "-in", "signed.eml",
            "-CAfile", "root.pem", "-out", "content.txt"], dir.Path);
        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains("unable to get local issuer certificate", verify.StdErr);
    }

    [Fact]
    public void Sign_CertFileWithLeafOnly_StoreIntermediateGoesAlong()
    {
        using TempDir dir = Setup();
        Assert.Equal(0, Smime(dir, "alice", "certs", "import", dir.File("int.pem")).ExitCode);
        CliRunner.Result export = Smime(dir, "alice", "certs", "export", "alice@example.com",
            "--format", "p12", "--password", IdentityPki.AlicePassword,
            "-o", dir.File("alice.p12"));
        Assert.True(export.ExitCode == 0, export.StdErr);

        CliRunner.Result sign = Smime(dir, "alice", "sign", dir.File("alice.eml"),
            "-o", dir.File("signed.eml"), "--cert", dir.File("alice.p12"),
            "--password", IdentityPki.AlicePassword);

        Assert.True(sign.ExitCode == 0, sign.StdErr);
        AssertCarriesIntermediateNotRoot(dir, "signed.eml");
    }

    [Fact]
    public void KeyImportCert_SigningThenEncryptionCertificateOfOneKey_BothPaired()
    {
        using TempDir dir = Setup();

        CliRunner.Result signing = Smime(dir, "bob", "key", "import-cert", dir.File("bob-sign.pem"));
        CliRunner.Result encryption = Smime(dir, "bob", "key", "import-cert",
            dir.File("bob-enc.pem"));
        CliRunner.Result list = Smime(dir, "bob", "certs", "list");

        Assert.True(signing.ExitCode == 0, signing.StdErr);
        Assert.True(encryption.ExitCode == 0, encryption.StdErr);
        Assert.Matches("^paired [0-9A-F]{16} CN=bob@example.com\n$", encryption.StdOut);
        Assert.NotEqual(signing.StdOut, encryption.StdOut);
        Assert.Equal(2, list.StdOut.Split('\n').Count(l => l.Contains("RSA 2048+priv")));
        Assert.Contains("sign,email", list.StdOut);
        Assert.Contains("encrypt,email", list.StdOut);
    }

    [Fact]
    public void SeparateCertificates_OthersEncryptToEncryptionOne_BobDecryptsOpenSslToo()
    {
        using TempDir dir = Setup();
        PairBob(dir);
        Assert.Equal(0, Smime(dir, "alice", "certs", "import", dir.File("bob-sign.pem"),
            dir.File("bob-enc.pem")).ExitCode);
        ExportBobKey(dir);

        CliRunner.Result encrypt = Smime(dir, "alice", "encrypt", dir.File("alice.eml"),
            "-o", dir.File("to-bob.eml"), "--verbose");
        CliRunner.Result decrypt = Smime(dir, "bob", "decrypt", dir.File("to-bob.eml"),
            "--password", IdentityPki.BobPassword);

        Assert.True(encrypt.ExitCode == 0, encrypt.StdErr);
        Assert.Contains("was chosen for bob@example.com: it is the only usable one",
            encrypt.StdErr);
        Assert.True(decrypt.ExitCode == 0, decrypt.StdErr);
        Assert.Contains("hello bob, from the store", decrypt.StdOut);
        Peer.Result byEncryption = Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "to-bob.eml",
            "-recip", "bob-enc.pem", "-inkey", "bob.key");
        Assert.Contains("hello bob, from the store", byEncryption.StdOut);
        Peer.Result bySigning = Peer.Run("openssl", ["cms", "-decrypt", "-in", "to-bob.eml",
            "-recip", "bob-sign.pem", "-inkey", "bob.key"], dir.Path);
        Assert.NotEqual(0, bySigning.ExitCode);
    }

    [Fact]
    public void SeparateCertificates_BobSignsWithSigningOne_AnnouncesEncryptionOne()
    {
        using TempDir dir = Setup();
        PairBob(dir);
        Assert.Equal(0, Smime(dir, "bob", "certs", "import", dir.File("int.pem")).ExitCode);

        CliRunner.Result sign = Smime(dir, "bob", "sign", dir.File("bob.eml"),
            "-o", dir.File("signed.eml"), "--password", IdentityPki.BobPassword);
        CliRunner.Result trustRoot = Smime(dir, "alice", "certs", "import",
            dir.File("root.pem"), "--trust");
        CliRunner.Result verify = Smime(dir, "alice", "verify", dir.File("signed.eml"),
            "--verbose", "--no-revocation");
        CliRunner.Result encrypt = Smime(dir, "alice", "encrypt", dir.File("alice.eml"),
            "-o", dir.File("to-bob.eml"), "--verbose");

        Assert.True(sign.ExitCode == 0, sign.StdErr);
        Peer.Result openssl = Peer.OpenSsl(dir.Path, "cms", "-verify", "-in", "signed.eml",
            "-CAfile", "root.pem", "-signer", "signer.pem", "-certsout", "carried.pem",
            "-out", "content.txt");
        Assert.Contains("hello alice, from bob", File.ReadAllText(dir.File("content.txt")));
        Assert.Equal(Der(dir, "bob-sign.pem"), Der(dir, "signer.pem"));
        Assert.Contains(Der(dir, "bob-enc.pem"), Certificates(dir, "carried.pem"));
        Assert.Equal(0, trustRoot.ExitCode);
        Assert.True(verify.ExitCode == 0, verify.StdErr + verify.StdOut);
        Assert.True(encrypt.ExitCode == 0, encrypt.StdErr);
        Assert.Contains("the sender's SMIMEEncryptionKeyPreference names it", encrypt.StdErr);
        Peer.Result decrypted = Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "to-bob.eml",
            "-recip", "bob-enc.pem", "-inkey", ExportBobKey(dir));
        Assert.Contains("hello bob, from the store", decrypted.StdOut);
        Assert.DoesNotContain("Error", openssl.StdErr);
    }

    [Fact]
    public void CertsImport_CertificateOfStoredKey_PairedAndDecryptsWithStoreKey()
    {
        using TempDir dir = Setup();
        Assert.Equal(0, Smime(dir, "bob", "key", "import-cert", dir.File("bob-sign.pem")).ExitCode);
        File.WriteAllText(dir.File("note.eml"), FromAlice);
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-aes-256-gcm", "-in", "note.eml",
            "-out", "enc.eml", "bob-enc.pem");

        CliRunner.Result import = Smime(dir, "bob", "certs", "import", dir.File("bob-enc.pem"));
        CliRunner.Result decrypt = Smime(dir, "bob", "decrypt", dir.File("enc.eml"),
            "--password", IdentityPki.BobPassword);

        Assert.True(import.ExitCode == 0, import.StdErr);
        Assert.EndsWith(" CN=bob@example.com (with private key)\n", import.StdOut);
        Assert.True(decrypt.ExitCode == 0, decrypt.StdErr);
        Assert.Contains("hello bob, from the store", decrypt.StdOut);
    }

    [Fact]
    public void KeyImportCert_NoKeyInStore_ExitTwoOneLineNamingFileAndCertificate()
    {
        using TempDir dir = Setup();
        Peer.OpenSsl(dir.Path, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", "stranger.key", "-out", "stranger.pem", "-subj", "/CN=Stranger",
            "-days", "30");

        CliRunner.Result run = Smime(dir, "bob", "key", "import-cert", dir.File("stranger.pem"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {dir.File("stranger.pem")}: No key in the store has the public "
            + "key of 'CN=Stranger': none waits for it ('smime key list') and no stored "
            + "certificate has it. Was its CSR made by 'smime key new' with this store?",
            run.StdErr.Trim());
        Assert.DoesNotContain("Stranger", Smime(dir, "bob", "certs", "list").StdOut);
    }

    [Fact]
    public void EncryptSign_NoCert_SignsAsFromWithStoreKey_BobVerifiesWithStoreKey()
    {
        using TempDir dir = Setup();
        PairBob(dir);
        Assert.Equal(0, Smime(dir, "alice", "certs", "import", dir.File("bob-enc.pem"),
            dir.File("int.pem")).ExitCode);
        Assert.Equal(0, Smime(dir, "bob", "certs", "import", dir.File("root.pem"),
            "--trust").ExitCode);

        CliRunner.Result encrypt = Smime(dir, "alice", "encrypt", dir.File("alice.eml"),
            "-o", dir.File("signed-to-bob.eml"), "--sign", "--password",
            IdentityPki.AlicePassword);
        CliRunner.Result verify = Smime(dir, "bob", "verify", dir.File("signed-to-bob.eml"),
            "--password", IdentityPki.BobPassword, "--no-revocation", "-o", dir.File("out.eml"));

        Assert.True(encrypt.ExitCode == 0, encrypt.StdErr);
        Assert.True(verify.ExitCode == 0, verify.StdErr + verify.StdOut);
        Assert.Contains("Verdict: Valid", verify.StdOut);
        Assert.Contains("Layer:   AuthEnvelopedData", verify.StdOut);
        Assert.Contains("Signer 1: CN=alice@example.com", verify.StdOut);
        Assert.Contains("hello bob, from the store", File.ReadAllText(dir.File("out.eml")));
        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "signed-to-bob.eml",
            "-recip", "bob-enc.pem", "-inkey", ExportBobKey(dir), "-out", "signed.eml");
        Peer.Result openssl = Peer.OpenSsl(dir.Path, "cms", "-verify", "-in", "signed.eml",
            "-CAfile", "root.pem", "-signer", "signer.pem", "-out", "content.txt");
        Assert.Equal(Der(dir, "alice.pem"), Der(dir, "signer.pem"));
        Assert.Contains("Verification successful", openssl.StdErr);
    }

    [Fact]
    public void EncryptSign_FromAddressWithoutIdentity_ExitTwoNamingAddress()
    {
        using TempDir dir = Setup();
        Assert.Equal(0, Smime(dir, "alice", "certs", "import", dir.File("bob-enc.pem")).ExitCode);

        CliRunner.Result run = Smime(dir, "alice", "encrypt", dir.File("alice.eml"),
            "-o", dir.File("out.eml"), "--sign", "--from", "carol@example.com",
            "--password", IdentityPki.AlicePassword);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("smime: carol@example.com: the store has no valid signing certificate "
            + "with a private key for it.", run.StdErr.Trim());
        Assert.False(File.Exists(dir.File("out.eml")));
    }

    [Fact]
    public void EncryptSign_NoPassword_ExitTwoAskingForIt()
    {
        using TempDir dir = Setup();
        Assert.Equal(0, Smime(dir, "alice", "certs", "import", dir.File("bob-enc.pem")).ExitCode);

        CliRunner.Result run = Smime(dir, "alice", "encrypt", dir.File("alice.eml"),
            "-o", dir.File("out.eml"), "--sign");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("smime: --password: the store's key for alice@example.com is encrypted; "
            + "give --password or --password-file.", run.StdErr.Trim());
    }

    [Fact]
    public void Verify_EncryptedWrongStorePassword_ExitTwoOneLine()
    {
        using TempDir dir = Setup();
        PairBob(dir);
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-aes-256-gcm", "-in", "alice.eml",
            "-out", "enc.eml", "bob-enc.pem");

        CliRunner.Result run = Smime(dir, "bob", "verify", dir.File("enc.eml"),
            "--password", "not-bobs", "--no-revocation");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {dir.File("enc.eml")}: is encrypted, and --password opens none "
            + "of the store's private keys; give --cert (and --key), or the password of your "
            + "key in the store.", run.StdErr.Trim());
    }

    private TempDir Setup()
    {
        var dir = new TempDir();
        _pki.CopyTo(dir);
        File.WriteAllText(dir.File("alice.eml"), FromAlice);
        File.WriteAllText(dir.File("bob.eml"), FromBob);
        return dir;
    }

    private static CliRunner.Result Smime(TempDir dir, string store, params string[] args) =>
        CliRunner.Run([.. args, "--store", dir.File(store)]);

    private static void PairBob(TempDir dir)
    {
        foreach (string file in new[] { "bob-sign.pem", "bob-enc.pem" })
        {
            CliRunner.Result pair = Smime(dir, "bob", "key", "import-cert", dir.File(file));
            Assert.True(pair.ExitCode == 0, pair.StdErr);
        }
    }

    // bob.key: the one private key behind both of bob's certificates, for openssl.
    private static string ExportBobKey(TempDir dir)
    {
        if (File.Exists(dir.File("bob.key")))
        {
            return "bob.key";
        }

        string thumbprint = Smime(dir, "bob", "certs", "list").StdOut.Split('\n')
            .First(l => l.Contains("encrypt,email")).Split(' ')[0];
        CliRunner.Result export = Smime(dir, "bob", "certs", "export", thumbprint,
            "--format", "p12", "--password", IdentityPki.BobPassword, "-o", dir.File("bob.p12"));
        Assert.True(export.ExitCode == 0, export.StdErr);
        Peer.OpenSsl(dir.Path, "pkcs12", "-in", "bob.p12", "-nocerts", "-nodes",
            "-passin", "pass:" + IdentityPki.BobPassword, "-out", "bob.key");
        return "bob.key";
    }

    private static void AssertCarriesIntermediateNotRoot(TempDir dir, string message)
    {
        Peer.Result verify = Peer.OpenSsl(dir.Path, "cms", "-verify", "-in", message,
            "-CAfile", "root.pem", "-certsout", "carried.pem", "-out", "content.txt");
        Assert.Contains("Verification successful", verify.StdErr);
        List<string> carried = Certificates(dir, "carried.pem");
        Assert.Equal(2, carried.Count);
        Assert.Contains(Der(dir, "int.pem"), carried);
        Assert.DoesNotContain(Der(dir, "root.pem"), carried);
    }

    private static void AssertSmimeVerifiesWithRootOnly(TempDir dir, string message)
    {
        CliRunner.Result verify = CliRunner.Run("verify", dir.File(message),
            "--trust", dir.File("root.pem"), "--no-revocation", "--no-harvest",
            "--store", dir.File("empty"));
        Assert.True(verify.ExitCode == 0, verify.StdOut + verify.StdErr);
        Assert.Contains("Verdict: Valid", verify.StdOut);
    }

    private static string Der(TempDir dir, string pem) => Certificates(dir, pem).Single();

    // Each certificate of a PEM file, as base64 of its DER, for comparing.
    private static List<string> Certificates(TempDir dir, string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(dir.File(pem));
        return [.. collection.Select(c => Convert.ToBase64String(c.RawData))];
    }
}
