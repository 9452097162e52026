using System.Security.Cryptography.X509Certificates;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>`smime key` and `smime ca` as a user runs them, checked by openssl.</summary>
public sealed class AuthorityCommandTests
{
    private const string CaPassword = "ca-secret";
    private const string KeyPassword = "alice-secret";
    private const string Message =
        "From: alice@example.com\r\nTo: bob@example.com\r\nSubject: test\r\n"
        + "Content-Type: text/plain\r\n\r\nhello from the CA test\r\n";

    [Fact]
    public void KeyNew_Rsa_OpenSslReqVerifiesAndSeesRequestedExtensions()
    {
        using var dir = new TempDir();

        CliRunner.Result run = Smime(dir, "key", "new", "--email", "alice@example.com",
            "--name", "Alice Example", "--org", "Example Ltd", "--key-type", "rsa2048",
            "--password", KeyPassword, "-o", dir.File("alice.csr"));

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.StartsWith("smime: key ", run.StdErr);
        Assert.Contains(" for alice@example.com stored in ", run.StdErr);
        Assert.EndsWith("(smime key import-cert).\n", run.StdErr);
        Peer.Result req = Peer.OpenSsl(dir.Path,
            "req", "-in", "alice.csr", "-verify", "-noout", "-text");
        Assert.Contains("verify OK", req.StdErr + req.StdOut);
        Assert.Contains("Subject: O = Example Ltd, CN = Alice Example", req.StdOut);
        Assert.Contains("email:alice@example.com", req.StdOut);
        Assert.Contains("Digital Signature, Key Encipherment", req.StdOut);
        Assert.Contains("E-mail Protection", req.StdOut);
        Assert.Contains("Public-Key: (2048 bit)", req.StdOut);
    }

    [Fact]
    public void KeyNew_P384_OpenSslReqVerifies()
    {
        using var dir = new TempDir();

        CliRunner.Result run = Smime(dir, "key", "new", "--email", "bob@example.com",
            "--key-type", "p384", "--password", KeyPassword, "-o", dir.File("bob.csr"));

        Assert.True(run.ExitCode == 0, run.StdErr);
        Peer.Result req = Peer.OpenSsl(dir.Path,
            "req", "-in", "bob.csr", "-verify", "-noout", "-text");
        Assert.Contains("NIST CURVE: P-384", req.StdOut);
        Assert.Contains("Digital Signature, Key Agreement", req.StdOut);
    }

    [Theory]
    [InlineData("rsa1024", "--key-type: RSA keys of 1024 bits are refused: S/MIME needs at "
        + "least 2048 (CA/B S/MIME BR §6.1.5).")]
    [InlineData("dsa", "--key-type: Unknown key type 'dsa'; use one of rsa2048, rsa3072, "
        + "rsa4096, p256, p384.")]
    public void KeyNew_WeakOrUnknownKeyType_ExitTwoOneLineNothingWritten(string type, string line)
    {
        using var dir = new TempDir();

        CliRunner.Result run = Smime(dir, "key", "new", "--email", "a@example.com",
            "--key-type", type, "--password", KeyPassword, "-o", dir.File("a.csr"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {line}", run.StdErr.Trim());
        Assert.False(File.Exists(dir.File("a.csr")));
    }

    [Fact]
    public void Issue_KeyNewCsr_PairedKeyExportsP12_OpenSslEncryptsSmimeDecrypts()
    {
        using var dir = new TempDir();
        InitCa(dir, "--intermediate");
        NewKey(dir, "alice", "rsa2048");

        CliRunner.Result issue = Smime(dir, "ca", "issue", dir.File("alice.csr"),
            "--profile", "mailbox-strict", "--password", CaPassword, "-o", dir.File("alice.pem"));
        CliRunner.Result waiting = Smime(dir, "key", "list");
        CliRunner.Result pair = Smime(dir, "key", "import-cert", dir.File("alice.pem"));
        CliRunner.Result done = Smime(dir, "key", "list");
        CliRunner.Result export = Smime(dir, "certs", "export", "alice@example.com",
            "--format", "p12", "--password", KeyPassword, "-o", dir.File("alice.p12"));

        Assert.True(issue.ExitCode == 0, issue.StdErr);
        Assert.True(pair.ExitCode == 0, pair.StdErr);
        Assert.StartsWith("paired ", pair.StdOut);
        Assert.EndsWith("  alice@example.com  CN=alice@example.com\n", waiting.StdOut);
        Assert.Equal("", done.StdOut);
        Assert.True(export.ExitCode == 0, export.StdErr);
        Peer.Result p12 = Peer.OpenSsl(dir.Path, "pkcs12", "-in", "alice.p12", "-noout",
            "-info", "-passin", "pass:" + KeyPassword);
        Assert.Contains("PBES2, PBKDF2, AES-256-CBC", p12.StdErr);
        SplitCa(dir);
        foreach (string purpose in new[] { "smimesign", "smimeencrypt" })
        {
            Peer.Result verify = Peer.OpenSsl(dir.Path, "verify", "-purpose", purpose,
                "-CAfile", "root.pem", "-untrusted", "int.pem", "alice.pem");
            Assert.Equal("alice.pem: OK", verify.StdOut.Trim());
        }

        File.WriteAllText(dir.File("msg.eml"), Message);
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-aes-256-gcm", "-in", "msg.eml",
            "-out", "enc.eml", "alice.pem");
        CliRunner.Result decrypt = CliRunner.Run("decrypt", dir.File("enc.eml"),
            "--cert", dir.File("alice.p12"), "--password", KeyPassword);
        Assert.True(decrypt.ExitCode == 0, decrypt.StdErr);
        Assert.Contains("hello from the CA test", decrypt.StdOut);
    }

    [Fact]
    public void Issue_OpenSslSignsWithIssuedCert_SmimeVerifiesTrustedThenRevokedAfterCrl()
    {
        using var dir = new TempDir();
        InitCa(dir, "--crl-url", "http://127.0.0.1:9/ca.crl");
        OpenSslKeyAndCsr(dir, "alice", "/CN=Alice", "subjectAltName=email:alice@example.com");
        CliRunner.Result issue = Smime(dir, "ca", "issue", dir.File("alice.csr"),
            "--profile", "individual-multipurpose", "--password", CaPassword,
            "-o", dir.File("alice.pem"));
        Assert.True(issue.ExitCode == 0, issue.StdErr);
        File.WriteAllText(dir.File("body.txt"), "Content-Type: text/plain\r\n\r\nsigned\r\n");
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "body.txt", "-signer", "alice.pem",
            "-inkey", "alice.key", "-out", "signed.part");
        File.WriteAllText(dir.File("signed.eml"),
            "From: alice@example.com\r\n" + File.ReadAllText(dir.File("signed.part")));
        string serial = X509CertificateLoader.LoadCertificateFromFile(dir.File("alice.pem"))
            .SerialNumber;

        CliRunner.Result empty = Smime(dir, "ca", "crl", "--password", CaPassword,
            "-o", dir.File("empty.pem"));
        CliRunner.Result before = Smime(dir, "verify", dir.File("signed.eml"), "--offline",
            "--no-harvest");
        CliRunner.Result revoke = Smime(dir, "ca", "revoke", serial, "--reason", "keyCompromise");
        CliRunner.Result crl = Smime(dir, "ca", "crl", "--password", CaPassword,
            "-o", dir.File("crl.pem"));
        CliRunner.Result after = Smime(dir, "verify", dir.File("signed.eml"), "--offline",
            "--no-harvest");
        CliRunner.Result list = Smime(dir, "ca", "list");

        Assert.True(empty.ExitCode == 0, empty.StdErr);
        Assert.True(before.ExitCode == 0, before.StdErr + before.StdOut);
        Assert.True(revoke.ExitCode == 0, revoke.StdErr);
        Assert.True(crl.ExitCode == 0, crl.StdErr);
        Assert.Equal(1, after.ExitCode);
        Assert.Contains($"Revoked: The certificate 'CN=Alice' is revoked", after.StdOut);
        Assert.Contains($"{serial}  revoked ", list.StdOut);
        Assert.Contains("(KeyCompromise)", list.StdOut);
        Peer.Result text = Peer.OpenSsl(dir.Path, "crl", "-in", "crl.pem", "-noout", "-text");
        Assert.Contains("Key Compromise", text.StdOut);
        Assert.Contains(serial, text.StdOut.Replace(":", "").ToUpperInvariant());
    }

    [Fact]
    public async Task Serve_CrlAtDistributionPoint_VerifyInAnotherStoreFetchesItAndSaysRevoked()
    {
        using var dir = new TempDir();
        int port = FreePort();
        string url = $"http://127.0.0.1:{port}/ca.crl";
        InitCa(dir, "--crl-url", url);
        OpenSslKeyAndCsr(dir, "alice", "/CN=Alice", "subjectAltName=email:alice@example.com");
        Assert.Equal(0, Smime(dir, "ca", "issue", dir.File("alice.csr"), "--profile",
            "class3", "--password", CaPassword, "-o", dir.File("alice.pem")).ExitCode);
        File.WriteAllText(dir.File("body.txt"), "Content-Type: text/plain\r\n\r\nsigned\r\n");
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "body.txt", "-signer", "alice.pem",
            "-inkey", "alice.key", "-out", "signed.part");
        File.WriteAllText(dir.File("signed.eml"),
            "From: alice@example.com\r\n" + File.ReadAllText(dir.File("signed.part")));
        string serial = X509CertificateLoader.LoadCertificateFromFile(dir.File("alice.pem"))
            .SerialNumber;
        Assert.Equal(0, Smime(dir, "ca", "revoke", serial, "--reason", "superseded").ExitCode);
        Assert.Equal(0, Smime(dir, "ca", "crl", "--password", CaPassword,
            "-o", dir.File("crl.pem")).ExitCode);
        string reader = dir.File("reader");
        Assert.Equal(0, CliRunner.Run("certs", "import", dir.File("ca.pem"), "--trust",
            "--store", reader).ExitCode);

        using var stop = new CancellationTokenSource();
        var serverOut = new MemoryStream();
        var serverErr = new StringWriter();
        Task<int> server = Task.Factory.StartNew(() => Cli.Run(["ca", "serve", "--port",
            $"{port}", "--store", dir.File("store")], new MemoryStream(), serverOut, serverErr,
            stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        CliRunner.Result verify;
        try
        {
            await WaitForServer(url, server, serverErr);
            verify = CliRunner.Run("verify", dir.File("signed.eml"), "--check-revocation",
                "--no-harvest", "--store", reader);
        }
        finally
        {
            stop.Cancel();
        }

        Assert.Equal(130, await server.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"Revoked: The certificate 'CN=Alice' is revoked (CRL from {url})",
            verify.StdOut);
    }

    [Theory]
    [InlineData("4083")]
    [InlineData("5A3F09CZ")]
    public void Revoke_ShortOrNotHexSerial_ExitTwoSaysWhatToGive(string serial)
    {
        using var dir = new TempDir();
        InitCa(dir);

        CliRunner.Result run = Smime(dir, "ca", "revoke", serial, "--reason", "superseded");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: {serial}: give the serial in hex, whole or its first 8 digits or "
            + "more, as 'smime ca list' shows it.\n", run.StdErr);
    }

    [Fact]
    public void Crl_TwiceInARow_NumbersIncrease()
    {
        using var dir = new TempDir();
        InitCa(dir);

        Smime(dir, "ca", "crl", "--password", CaPassword, "-o", dir.File("1.pem"));
        Smime(dir, "ca", "crl", "--password", CaPassword, "-o", dir.File("2.pem"));

        Assert.Contains("X509v3 CRL Number: \n                1\n", CrlText(dir, "1.pem"));
        Assert.Contains("X509v3 CRL Number: \n                2\n", CrlText(dir, "2.pem"));
        Assert.Contains("Next Update:", CrlText(dir, "2.pem"));
    }

    [Fact]
    public void Issue_BadSignatureCsr_ExitTwoOneLineNothingIssued()
    {
        using var dir = new TempDir();
        InitCa(dir);
        NewKey(dir, "alice", "p256");
        string pem = File.ReadAllText(dir.File("alice.csr"));
        byte[] der = Convert.FromBase64String(string.Concat(pem.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
        der[^5] ^= 0x01;
        File.WriteAllText(dir.File("bad.csr"),
            System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE REQUEST", der));

        AssertRefusedNothingIssued(dir, ["ca", "issue", dir.File("bad.csr"),
            "--profile", "mailbox-strict", "--password", CaPassword],
            "smime: The CSR's signature does not verify under its own public key (RFC 2986 §3): "
            + "it was altered or made without the private key.");
    }

    [Fact]
    public void Issue_CsrAskingCaTrue_ExitTwoOneLineNothingIssued()
    {
        using var dir = new TempDir();
        InitCa(dir);
        OpenSslKeyAndCsr(dir, "evil", "/CN=Evil", "subjectAltName=email:evil@example.com",
            "basicConstraints=critical,CA:TRUE");

        AssertRefusedNothingIssued(dir, ["ca", "issue", dir.File("evil.csr"),
            "--profile", "mailbox-strict", "--password", CaPassword],
            "smime: The CSR asks for basicConstraints CA:TRUE; a subscriber certificate cannot "
            + "be a CA (CA/B S/MIME BR §7.1.2.3 (d)). Refused.");
    }

    [Fact]
    public void Issue_WrongCaPassphrase_ExitTwoOneLineNothingIssued()
    {
        using var dir = new TempDir();
        InitCa(dir);
        NewKey(dir, "alice", "p256");

        AssertRefusedNothingIssued(dir, ["ca", "issue", dir.File("alice.csr"),
            "--profile", "mailbox-strict", "--password", "wrong"],
            "smime: The passphrase does not open the private key of 'CN=Test Root, O=Test'.");
    }

    [Fact]
    public void Issue_UnknownProfile_ExitTwoOneLineNothingIssued()
    {
        using var dir = new TempDir();
        InitCa(dir);
        NewKey(dir, "alice", "p256");

        AssertRefusedNothingIssued(dir, ["ca", "issue", dir.File("alice.csr"),
            "--profile", "mailbox-lenient", "--password", CaPassword],
            "smime: --profile: Unknown S/MIME profile 'mailbox-lenient'. Use TYPE-GENERATION "
            + "with TYPE one of mailbox, organization, sponsor, individual and GENERATION one "
            + "of strict, multipurpose, legacy (e.g. mailbox-strict), or class1, class2, "
            + "class2-sponsor, class3, class4.");
    }

    [Fact]
    public void Issue_ValidityOverProfileMaximum_ExitTwoNothingIssued()
    {
        using var dir = new TempDir();
        InitCa(dir);
        NewKey(dir, "alice", "p256");

        AssertRefusedNothingIssued(dir, ["ca", "issue", dir.File("alice.csr"),
            "--profile", "class1", "--days", "826", "--password", CaPassword],
            "smime: A validity of 826 days is refused: profile mailbox-strict allows 1 to 825 "
            + "(CA/B S/MIME BR §6.3.2).");
    }

    [Fact]
    public void Issue_OrganizationWithoutOrgId_ExitTwoNamesOption()
    {
        using var dir = new TempDir();
        InitCa(dir);
        NewKey(dir, "alice", "p256");

        CliRunner.Result run = Smime(dir, "ca", "issue", dir.File("alice.csr"),
            "--profile", "organization-strict", "--org", "Example Ltd", "--password", CaPassword);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("organizationIdentifier", run.StdErr);
        Assert.Contains("--org-id", run.StdErr);
    }

    [Fact]
    public void Init_SecondTime_ExitTwoFirstCaKept()
    {
        using var dir = new TempDir();
        InitCa(dir);
        string first = File.ReadAllText(dir.File("ca.pem"));

        CliRunner.Result again = Smime(dir, "ca", "init", "--name", "CN=Other",
            "--password", CaPassword, "-o", dir.File("other.pem"));

        Assert.Equal(2, again.ExitCode);
        Assert.Equal($"smime: The store '{dir.File("store/store.db")}' already runs a CA; use another "
            + "--store for a second.", again.StdErr.Trim());
        Assert.False(File.Exists(dir.File("other.pem")));
        Assert.Equal("CA CN=Test Root, O=Test\n", Smime(dir, "ca", "list").StdOut);
        Assert.Equal(first, File.ReadAllText(dir.File("ca.pem")));
    }

    [Fact]
    public void Issue_StoreWithoutCa_ExitTwoSaysInitFirst()
    {
        using var dir = new TempDir();
        NewKey(dir, "alice", "p256");
        File.WriteAllText(dir.File("pw.txt"), CaPassword + "\n");

        CliRunner.Result run = Smime(dir, "ca", "issue", dir.File("alice.csr"),
            "--profile", "class1", "--password-file", dir.File("pw.txt"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: The store '{dir.File("store/store.db")}' runs no CA; make one with "
            + "'smime ca init'.", run.StdErr.Trim());
    }

    [Fact]
    public void Profiles_ListsTwelveAndClassNames()
    {
        using var dir = new TempDir();

        CliRunner.Result run = CliRunner.Run("ca", "profiles");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(12, run.StdOut.Split('\n').Count(l => l.Contains(" 2.23.140.1.5.")));
        Assert.Contains("mailbox-strict             2.23.140.1.5.1.3   max 825 days  (class 1)",
            run.StdOut);
        Assert.Contains("class4", run.StdOut);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    // Polls until the server answers, for up to a minute: the suite may run on a loaded
    // two-core machine. Fails at once, with the server's own error, if the server stops.
    private static async Task WaitForServer(string url, Task<int> server, StringWriter error)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            if (server.IsCompleted)
            {
                throw new InvalidOperationException(
                    $"smime ca serve stopped with exit code {server.Result}: {error}");
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy to answer in time.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"smime ca serve did not answer on {url} within a minute.");
    }

    private static CliRunner.Result Smime(TempDir dir, params string[] args) =>
        CliRunner.Run([.. args, "--store", dir.File("store")]);

    private static void AssertRefusedNothingIssued(TempDir dir, string[] args, string line)
    {
        CliRunner.Result before = Smime(dir, "ca", "list");
        string output = dir.File("out.pem");

        CliRunner.Result run = Smime(dir, [.. args, "-o", output]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(line, run.StdErr.Trim());
        Assert.False(File.Exists(output));
        Assert.Equal(before.StdOut, Smime(dir, "ca", "list").StdOut);
    }

    private static void InitCa(TempDir dir, params string[] extra)
    {
        CliRunner.Result init = Smime(dir, ["ca", "init", "--name", "CN=Test Root, O=Test",
            "--password", CaPassword, "-o", dir.File("ca.pem"), .. extra]);
        Assert.True(init.ExitCode == 0, init.StdErr);
    }

    private static void NewKey(TempDir dir, string user, string type)
    {
        CliRunner.Result run = Smime(dir, "key", "new", "--email", $"{user}@example.com",
            "--key-type", type, "--password", KeyPassword, "-o", dir.File($"{user}.csr"));
        Assert.True(run.ExitCode == 0, run.StdErr);
    }

    private static void OpenSslKeyAndCsr(
        TempDir dir, string user, string subject, params string[] extensions)
    {
        var args = new List<string> { "req", "-new", "-newkey", "rsa:2048", "-nodes",
            "-keyout", $"{user}.key", "-out", $"{user}.csr", "-subj", subject };
        foreach (string extension in extensions)
        {
            args.Add("-addext");
            args.Add(extension);
        }

        Peer.OpenSsl(dir.Path, [.. args]);
    }

    // ca.pem holds the issuer first, then the root when there is an intermediate.
    private static void SplitCa(TempDir dir)
    {
        string[] blocks = File.ReadAllText(dir.File("ca.pem"))
            .Split("-----END CERTIFICATE-----", StringSplitOptions.RemoveEmptyEntries)
            .Where(b => b.Contains("BEGIN"))
            .Select(b => b.Trim() + "\n-----END CERTIFICATE-----\n")
            .ToArray();
        File.WriteAllText(dir.File("int.pem"), blocks[0]);
        File.WriteAllText(dir.File("root.pem"), blocks[^1]);
    }

    private static string CrlText(TempDir dir, string file) =>
        Peer.OpenSsl(dir.Path, "crl", "-in", file, "-noout", "-text").StdOut;
}
