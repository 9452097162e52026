using System.Security.Cryptography.X509Certificates;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>`smime verify` with the store's anchors and a CRL served from loopback.</summary>
public sealed class VerifyRevocationTests
{
    [Fact]
    public void Verify_CheckRevocation_RevokedSignerFailsThenOfflineUsesCache()
    {
        using var dir = new TempDir();
        // Listening from the start, so no other process takes the CRL's port meanwhile.
        var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        X509Certificate2 good = pki.Issue("alice@example.com", withOcsp: false);
        X509Certificate2 revoked = pki.Issue("mallory@example.com", revoked: true, withOcsp: false);
        TestPki.WritePem(pki.Root, dir.File("root.pem"));
        TestPki.WritePem(pki.Intermediate, dir.File("intermediate.pem"));
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File("root.pem"), "--trust", "--store", store);
        CliRunner.Run("certs", "import", dir.File("intermediate.pem"), "--store", store);
        string alice = SignedBy(dir, good, "alice");
        string mallory = SignedBy(dir, revoked, "mallory");

        CliRunner.Result okOnline, badOnline;
        using (server)
        {
            server.Serve("/intermediate.crl", pki.MakeCrl());
            server.Serve("/root.crl", pki.MakeRootCrl());
            okOnline = CliRunner.Run("verify", alice, "--store", store, "--check-revocation");
            badOnline = CliRunner.Run("verify", mallory, "--store", store, "--check-revocation");
        }

        CliRunner.Result badOffline = CliRunner.Run("verify", mallory, "--store", store,
            "--offline", "--no-harvest");
        CliRunner.Result byDefault = CliRunner.Run("verify", mallory, "--store", store,
            "--no-harvest");
        CliRunner.Result noCheck = CliRunner.Run("verify", mallory, "--store", store,
            "--no-revocation", "--no-harvest");

        Assert.True(okOnline.ExitCode == 0, okOnline.StdOut + okOnline.StdErr);
        Assert.Equal(1, badOnline.ExitCode);
        Assert.Contains("'CN=mallory@example.com' is revoked (CRL from", badOnline.StdOut);
        Assert.Equal(1, badOffline.ExitCode);
        Assert.Contains("is revoked", badOffline.StdOut);

        // Checked by default (mallory's certificate names a distribution point): the cached
        // CRL says revoked. With --no-revocation nothing is checked, the chain alone trusted.
        Assert.Equal(1, byDefault.ExitCode);
        Assert.Contains("'CN=mallory@example.com' is revoked", byDefault.StdOut);
        Assert.Equal(0, noCheck.ExitCode);
    }

    [Fact]
    public void Verify_OcspOnlySigners_ResponderStoppedSameVerdictsFromTheCache()
    {
        using var dir = new TempDir();
        // Listening from the start, so no other process takes the root CRL's port meanwhile.
        var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        int ocspPort = LoopbackHttpServer.FreePort();
        using var pki = new RevocationPki(server.Port, ocspPort);
        X509Certificate2 good = pki.Issue("alice@example.com", withCdp: false);
        X509Certificate2 revoked = pki.Issue("mallory@example.com", revoked: true,
            withCdp: false);
        pki.WriteOcspResponderFiles(dir.Path);
        TestPki.WritePem(pki.Root, dir.File("root.pem"));
        TestPki.WritePem(pki.Intermediate, dir.File("intermediate.pem"));
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File("root.pem"), "--trust", "--store", store);
        string alice = SignedBy(dir, good, "alice");
        string mallory = SignedBy(dir, revoked, "mallory");

        CliRunner.Result okOnline, badOnline;
        using (server)
        using (new OpenSslOcspResponder(dir.Path, ocspPort, days: 1))
        {
            server.Serve("/root.crl", pki.MakeRootCrl());
            okOnline = CliRunner.Run("verify", alice, "--store", store, "--check-revocation",
                "--no-harvest");
            badOnline = CliRunner.Run("verify", mallory, "--store", store, "--check-revocation",
                "--no-harvest");
        }

        CliRunner.Result okDown = CliRunner.Run("verify", alice, "--store", store,
            "--check-revocation", "--no-harvest");
        CliRunner.Result badDown = CliRunner.Run("verify", mallory, "--store", store,
            "--check-revocation", "--no-harvest");
        CliRunner.Result okOffline = CliRunner.Run("verify", alice, "--store", store,
            "--offline", "--no-harvest");
        CliRunner.Result badOffline = CliRunner.Run("verify", mallory, "--store", store,
            "--offline", "--no-harvest");

        Assert.True(okOnline.ExitCode == 0, okOnline.StdOut + okOnline.StdErr);
        Assert.Equal(1, badOnline.ExitCode);
        Assert.Contains("Revoked: The certificate 'CN=mallory@example.com' is revoked "
            + $"(OCSP {pki.OcspUrl})", badOnline.StdOut);
        string cached = "Revoked: The certificate 'CN=mallory@example.com' is revoked "
            + $"(cached OCSP answer from {pki.OcspUrl})";
        foreach (CliRunner.Result ok in new[] { okDown, okOffline })
        {
            Assert.True(ok.ExitCode == 0, ok.StdOut + ok.StdErr);
            Assert.Contains("Verdict: Valid", ok.StdOut);
        }

        Assert.Equal(1, badDown.ExitCode);
        Assert.Contains(cached, badDown.StdOut);
        Assert.Equal(1, badOffline.ExitCode);
        Assert.Contains(cached, badOffline.StdOut);

        // Encrypting by address consults the same cache, with no network: alice's certificate
        // is taken, mallory's refused as revoked.
        TestPki.WritePem(good, dir.File("alice.pem"));
        TestPki.WritePem(revoked, dir.File("mallory.pem"));
        CliRunner.Run("certs", "import", dir.File("intermediate.pem"), "--store", store);
        CliRunner.Run("certs", "import", dir.File("alice.pem"), "--store", store);
        CliRunner.Run("certs", "import", dir.File("mallory.pem"), "--store", store);
        File.WriteAllText(dir.File("to-alice.eml"),
            "From: bob@example.com\r\nTo: alice@example.com\r\nSubject: hi\r\n\r\nHello\r\n");
        File.WriteAllText(dir.File("to-mallory.eml"),
            "From: bob@example.com\r\nTo: mallory@example.com\r\nSubject: hi\r\n\r\nHello\r\n");
        CliRunner.Result toAlice = CliRunner.Run("encrypt", dir.File("to-alice.eml"),
            "-o", dir.File("to-alice.p7m.eml"), "--store", store);
        CliRunner.Result toMallory = CliRunner.Run("encrypt", dir.File("to-mallory.eml"),
            "-o", dir.File("to-mallory.p7m.eml"), "--store", store);

        Assert.True(toAlice.ExitCode == 0, toAlice.StdErr);
        Assert.Equal(1, toMallory.ExitCode);
        Assert.Contains("mallory@example.com", toMallory.StdErr);
        Assert.Contains($"revoked (cached OCSP answer from {pki.OcspUrl})", toMallory.StdErr);
        Assert.False(File.Exists(dir.File("to-mallory.p7m.eml")));
    }

    [Fact]
    public void Verify_DefaultSignerWithoutDistributionPoint_ValidRevocationNotChecked()
    {
        using var dir = new TempDir();
        var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        X509Certificate2 plain = pki.Issue("alice@example.com", withCdp: false, withOcsp: false);
        TestPki.WritePem(pki.Root, dir.File("root.pem"));
        TestPki.WritePem(pki.Intermediate, dir.File("intermediate.pem"));
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File("root.pem"), "--trust", "--store", store);
        string alice = SignedBy(dir, plain, "alice");

        CliRunner.Result verdict;
        using (server)
        {
            server.Serve("/root.crl", pki.MakeRootCrl());
            verdict = CliRunner.Run("verify", alice, "--store", store, "--no-harvest");
        }

        Assert.True(verdict.ExitCode == 0, verdict.StdOut + verdict.StdErr);
        Assert.Contains("and no checked certificate of the path is revoked; revocation not "
            + "checked for 'CN=alice@example.com': no distribution point.", verdict.StdOut);
    }

    [Fact]
    public void Verify_DefaultDistributionPointDown_RevocationUnknownThenNoRevocationValid()
    {
        using var dir = new TempDir();
        // Listening from the start, so no other process takes the CRL's port meanwhile.
        var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        X509Certificate2 good = pki.Issue("alice@example.com", withOcsp: false);
        TestPki.WritePem(pki.Root, dir.File("root.pem"));
        TestPki.WritePem(pki.Intermediate, dir.File("intermediate.pem"));
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File("root.pem"), "--trust", "--store", store);
        string alice = SignedBy(dir, good, "alice");

        CliRunner.Result unknown = CliRunner.Run("verify", alice, "--store", store, "--no-harvest");
        CliRunner.Result off = CliRunner.Run("verify", alice, "--store", store, "--no-revocation",
            "--no-harvest");
        CliRunner.Result both = CliRunner.Run("verify", alice, "--store", store, "--no-revocation",
            "--offline");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("RevocationUnknown", unknown.StdOut);
        Assert.Equal(0, off.ExitCode);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--no-revocation", both.StdErr);
    }

    private static string SignedBy(TempDir dir, X509Certificate2 signer, string name)
    {
        TestPki.WritePem(signer, dir.File(name + ".crt"), dir.File(name + ".key"));
        File.WriteAllText(dir.File(name + ".txt"),
            $"From: {name}@example.com\r\nTo: bob@example.com\r\nSubject: hi\r\n"
            + "Content-Type: text/plain\r\n\r\nhello\r\n");
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", name + ".txt", "-signer", name + ".crt",
            "-inkey", name + ".key", "-certfile", "intermediate.pem", "-out", name + ".p7m");
        string path = dir.File(name + ".eml");
        File.WriteAllText(path, $"From: {name}@example.com\r\n"
            + File.ReadAllText(dir.File(name + ".p7m")));
        return path;
    }
}
