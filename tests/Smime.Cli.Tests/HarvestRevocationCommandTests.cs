using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>
/// What `verify` and `certs harvest` store, and what `encrypt` picks, when a signer or a
/// recipient is untrusted or revoked: real store files, real CRLs served from loopback.
/// </summary>
public sealed class HarvestRevocationCommandTests
{
    [Fact]
    public void Verify_RevokedSigner_StoreUnchanged()
    {
        using var dir = new TempDir();
        using var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        X509Certificate2 mallory = pki.Issue("mallory@example.com", revoked: true,
            withOcsp: false);
        string store = StoreWithRoot(dir, pki);
        ServeCrls(server, pki);
        string message = SignedBy(dir, pki, mallory, "mallory");
        string[] before = Thumbprints(store);

        CliRunner.Result verify = CliRunner.Run("verify", message, "--store", store,
            "--verbose");

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("Untrusted", verify.StdOut);
        Assert.Contains("smime: not harvested: the signer 'CN=mallory@example.com' is revoked "
            + $"(CRL from {pki.CrlUrl}).", verify.StdErr);
        Assert.Equal(before, Thumbprints(store));
        Assert.Null(Sender(store, "mallory@example.com"));
    }

    [Fact]
    public void Verify_UntrustedSigner_StoreUnchanged()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), 1);
        X509Certificate2 trudy = TestPki.Shared.Issue("trudy@example.com");
        string store = StoreWithRoot(dir, pki);
        string message = SignedBy(dir, pki, trudy, "trudy", withIntermediate: false);
        string[] before = Thumbprints(store);

        CliRunner.Result verify = CliRunner.Run("verify", message, "--store", store,
            "--verbose");

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("smime: not harvested: the signer 'CN=trudy@example.com' does not "
            + "chain to any of the trust anchors.", verify.StdErr);
        Assert.Equal(before, Thumbprints(store));
        Assert.Null(Sender(store, "trudy@example.com"));
    }

    [Fact]
    public void Verify_ValidSigner_CertificatesAndCapabilitiesStored()
    {
        using var dir = new TempDir();
        using var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        X509Certificate2 alice = pki.Issue("alice@example.com", withOcsp: false);
        string store = StoreWithRoot(dir, pki);
        ServeCrls(server, pki);
        string message = SignedBy(dir, pki, alice, "alice");

        CliRunner.Result verify = CliRunner.Run("verify", message, "--store", store);

        Assert.True(verify.ExitCode == 0, verify.StdOut + verify.StdErr);
        Assert.Equal(new[] { pki.Root, pki.Intermediate, alice }
            .Select(c => c.Thumbprint).Order(), Thumbprints(store));
        SenderRecord sender = Sender(store, "alice@example.com")!;
        Assert.NotNull(sender.SigningTime);
        Assert.Contains(sender.Capabilities, c => c.Oid == "2.16.840.1.101.3.4.1.42");
    }

    [Fact]
    public void Harvest_MixedMaildir_SummaryCountsEachReasonExactly()
    {
        using var dir = new TempDir();
        // Listening from the start, so no other process can take the CRL's port meanwhile;
        // stopped before the offline runs.
        var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, 1);
        X509Certificate2 alice = pki.Issue("alice@example.com", withOcsp: false);
        X509Certificate2 mallory = pki.Issue("mallory@example.com", revoked: true,
            withOcsp: false);
        X509Certificate2 trudy = TestPki.Shared.Issue("trudy@example.com");
        string store = StoreWithRoot(dir, pki);
        string cur = Directory.CreateDirectory(dir.File("Maildir/cur")).FullName;
        File.Copy(SignedBy(dir, pki, alice, "alice"), Path.Combine(cur, "1.eml"));
        File.Copy(SignedBy(dir, pki, mallory, "mallory"), Path.Combine(cur, "2.eml"));
        File.Copy(SignedBy(dir, pki, trudy, "trudy", withIntermediate: false),
            Path.Combine(cur, "3.eml"));
        File.Copy(Path.Combine(cur, "1.eml"), Path.Combine(cur, "4.eml"));
        Files.TamperBody(Path.Combine(cur, "4.eml"), "hello", "HELLO");
        File.WriteAllText(Path.Combine(cur, "5.eml"), Files.Message);

        CliRunner.Result online;
        using (server)
        {
            ServeCrls(server, pki);
            online = CliRunner.Run("certs", "harvest", dir.File("Maildir"), "--store", store,
                "--verbose");
        }

        CliRunner.Result offline = CliRunner.Run("certs", "harvest", dir.File("Maildir"),
            "--store", store, "--offline");
        CliRunner.Result unchecked_ = CliRunner.Run("certs", "harvest", dir.File("Maildir"),
            "--store", store, "--no-revocation");

        Assert.Equal(0, online.ExitCode);
        string[] lines = online.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("harvest: 5 message(s) read, 4 signed, 1 valid, 2 certificate(s) new, "
            + "1 sender(s) updated.", lines[0]);
        Assert.Equal("not harvested: 1 bad signature, 1 untrusted, 1 revoked.", lines[1]);
        Assert.Equal("capabilities updated for alice@example.com", lines[^1]);
        Assert.Contains($"2.eml: the signer 'CN=mallory@example.com' is revoked (CRL from "
            + $"{pki.CrlUrl})", online.StdErr);

        // Offline, the CRLs the first run cached decide; with --no-revocation mallory's chain
        // alone is valid, but the cached CRL still keeps mallory out of the store.
        string again = "harvest: 5 message(s) read, 4 signed, 1 valid, 0 certificate(s) new, "
            + "0 sender(s) updated.\nnot harvested: 1 bad signature, 1 untrusted, 1 revoked.\n";
        Assert.Equal(again, offline.StdOut);
        Assert.Equal(again, unchecked_.StdOut);
        Assert.Equal(new[] { pki.Root, pki.Intermediate, alice }
            .Select(c => c.Thumbprint).Order(), Thumbprints(store));
    }

    [Fact]
    public void Encrypt_OnlyCertificateRevokedInCachedCrl_Exit1NothingWritten()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), 1);
        X509Certificate2 alice = pki.Issue("alice@example.com", withOcsp: false);
        X509Certificate2 mallory = pki.Issue("mallory@example.com", revoked: true,
            withOcsp: false);
        string store = StoreWithRoot(dir, pki);
        Import(dir, store, pki.Intermediate, "intermediate");
        Import(dir, store, alice, "alice");
        Import(dir, store, mallory, "mallory");
        File.WriteAllBytes(dir.File("intermediate.crl"), pki.MakeCrl());
        CliRunner.Run("certs", "crl", dir.File("intermediate.crl"), "--store", store);
        File.WriteAllText(dir.File("to-mallory.eml"), Files.Message
            .Replace("To: Bob <bob@example.com>", "To: mallory@example.com"));
        File.WriteAllText(dir.File("to-both.eml"), Files.Message
            .Replace("To: Bob <bob@example.com>", "To: alice@example.com, mallory@example.com"));

        CliRunner.Result refused = CliRunner.Run("encrypt", dir.File("to-mallory.eml"),
            "-o", dir.File("enc.eml"), "--store", store);
        CliRunner.Result skipped = CliRunner.Run("encrypt", dir.File("to-both.eml"),
            "-o", dir.File("enc2.eml"), "--store", store, "--skip-missing");

        string revoked = $"'CN=mallory@example.com' ({Sha256(mallory)}): The "
            + "certificate 'CN=mallory@example.com' is revoked (CRL from imported CRL).";
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("smime: no usable certificate for: mallory@example.com; nothing was "
            + "written (--skip-missing leaves them out).\nsmime: mallory@example.com: No "
            + "certificate for mallory@example.com can be encrypted to: " + revoked + "\n",
            refused.StdErr);
        Assert.False(File.Exists(dir.File("enc.eml")));

        Assert.Equal(0, skipped.ExitCode);
        Assert.Equal("smime: warning: left out mallory@example.com, no usable certificate: No "
            + "certificate for mallory@example.com can be encrypted to: " + revoked + "\n",
            skipped.StdErr);
        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "enc2.eml", "-recip", "alice.crt",
            "-inkey", "alice.key", "-out", "alice.txt");
        Assert.NotEqual(0, Peer.Run("openssl", ["cms", "-decrypt", "-in", "enc2.eml",
            "-recip", "mallory.crt", "-inkey", "mallory.key"], dir.Path).ExitCode);
    }

    [Fact]
    public void Encrypt_GoodAndRevokedForOneAddress_GoodChosen()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), 1);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 good = pki.Issue("bob@example.com", withOcsp: false,
            notBefore: now.AddDays(-5));
        X509Certificate2 revoked = pki.Issue("bob@example.com", revoked: true, withOcsp: false,
            notBefore: now.AddDays(-1));
        string store = StoreWithRoot(dir, pki);
        Import(dir, store, pki.Intermediate, "intermediate");
        Import(dir, store, good, "good");
        Import(dir, store, revoked, "revoked");
        File.WriteAllBytes(dir.File("intermediate.crl"), pki.MakeCrl());
        CliRunner.Run("certs", "crl", dir.File("intermediate.crl"), "--store", store);
        File.WriteAllText(dir.File("message.eml"), Files.Message);

        CliRunner.Result encrypt = CliRunner.Run("encrypt", dir.File("message.eml"),
            "-o", dir.File("enc.eml"), "--store", store, "--verbose");

        Assert.True(encrypt.ExitCode == 0, encrypt.StdErr);
        Assert.Contains($"'CN=bob@example.com' ({Sha256(good)}) was chosen for "
            + "bob@example.com: it is the only usable one.", encrypt.StdErr);
        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "enc.eml", "-recip", "good.crt",
            "-inkey", "good.key", "-out", "plain.txt");
        Assert.Contains("this is a test.", File.ReadAllText(dir.File("plain.txt")));
        Assert.NotEqual(0, Peer.Run("openssl", ["cms", "-decrypt", "-in", "enc.eml",
            "-recip", "revoked.crt", "-inkey", "revoked.key"], dir.Path).ExitCode);
    }

    private static string StoreWithRoot(TempDir dir, RevocationPki pki)
    {
        string store = dir.File("store");
        TestPki.WritePem(pki.Root, dir.File("root.pem"));
        CliRunner.Result import = CliRunner.Run("certs", "import", dir.File("root.pem"),
            "--trust", "--store", store);
        Assert.True(import.ExitCode == 0, import.StdErr);
        return store;
    }

    private static void Import(TempDir dir, string store, X509Certificate2 certificate,
        string name)
    {
        TestPki.WritePem(certificate, dir.File(name + ".crt"),
            certificate.HasPrivateKey ? dir.File(name + ".key") : null);
        CliRunner.Result import = CliRunner.Run("certs", "import", dir.File(name + ".crt"),
            "--store", store);
        Assert.True(import.ExitCode == 0, import.StdErr);
    }

    private static void ServeCrls(LoopbackHttpServer server, RevocationPki pki)
    {
        server.Serve("/intermediate.crl", pki.MakeCrl());
        server.Serve("/root.crl", pki.MakeRootCrl());
    }

    // openssl signs (SMIMECapabilities included by default), sending the intermediate along.
    private static string SignedBy(
        TempDir dir,
        RevocationPki pki,
        X509Certificate2 signer,
        string name,
        bool withIntermediate = true)
    {
        TestPki.WritePem(signer, dir.File(name + ".crt"), dir.File(name + ".key"));
        TestPki.WritePem(pki.Intermediate, dir.File("intermediate.pem"));
        File.WriteAllText(dir.File(name + ".txt"),
            $"From: {name}@example.com\r\nTo: bob@example.com\r\nSubject: hi\r\n"
            + "Content-Type: text/plain\r\n\r\nhello\r\n");
        string[] chain = withIntermediate ? ["-certfile", "intermediate.pem"] : [];
        Peer.OpenSsl(dir.Path, ["cms", "-sign", "-in", name + ".txt", "-signer", name + ".crt",
            "-inkey", name + ".key", .. chain, "-out", name + ".p7m"]);
        string path = dir.File(name + ".eml");
        File.WriteAllText(path, $"From: {name}@example.com\r\n"
            + File.ReadAllText(dir.File(name + ".p7m")));
        return path;
    }

    // The first 16 hex digits of the SHA-256 thumbprint, as the look-up names a certificate.
    private static string Sha256(X509Certificate2 certificate) =>
        certificate.GetCertHashString(HashAlgorithmName.SHA256)[..16];

    private static string[] Thumbprints(string store)
    {
        using CertificateStore opened = CertificateStore.Open(store);
        return opened.List().Select(c => c.Certificate.Thumbprint).Order().ToArray();
    }

    private static SenderRecord? Sender(string store, string address)
    {
        using CertificateStore opened = CertificateStore.Open(store);
        return opened.GetSender(address);
    }
}
