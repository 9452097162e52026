using System.Security.Cryptography.X509Certificates;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>
/// A CA with an intermediate: the intermediate names the root's CRL, `ca crl --root` signs it,
/// `ca serve` serves it; checked by openssl and by `smime verify` in another store.
/// </summary>
public sealed class AuthorityRootCrlCommandTests
{
    private const string CaPassword = "ca-secret";
    private const string Trusted = "chains to the trust anchor 'CN=Test Root, O=Test' and no "
        + "certificate of the path is revoked.";

    [Fact]
    public void Init_IntermediateWithCrlUrl_NamesRootCrlBesideItLinterQuiet()
    {
        using var dir = new TempDir();

        InitCa(dir, "--intermediate", "--crl-url", "http://127.0.0.1:9/pki/ca.crl");

        SplitCa(dir);
        string intermediate = CertificateText(dir, "int.pem");
        Assert.Contains("X509v3 CRL Distribution Points: \n                Full Name:\n"
            + "                  URI:http://127.0.0.1:9/pki/root.crl\n", intermediate);
        Assert.DoesNotContain("ca.crl", intermediate);
        Assert.DoesNotContain("CRL Distribution Points", CertificateText(dir, "root.pem"));
        CliRunner.Result lint = CliRunner.Run("certs", "lint", dir.File("int.pem"));
        Assert.True(lint.ExitCode == 0, lint.StdErr);
        Assert.DoesNotContain("crl-distribution-points", lint.StdOut);
        Assert.Contains("0 error(s), 0 warning(s), 1 notice(s)", lint.StdOut);
    }

    [Fact]
    public void Init_IntermediateWithoutCrlUrl_LinterWarnsNoDistributionPoint()
    {
        using var dir = new TempDir();

        InitCa(dir, "--intermediate");

        SplitCa(dir);
        Assert.DoesNotContain("CRL Distribution Points", CertificateText(dir, "int.pem"));
        CliRunner.Result lint = CliRunner.Run("certs", "lint", dir.File("int.pem"));
        Assert.Contains("warning  sub-ca-crl-distribution-points-missing "
            + "[CABF S/MIME BR §7.1.2.2 (b)]", lint.StdOut);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/root.crl")]
    [InlineData("http://127.0.0.1:9/pki/ROOT.crl")]
    public void Init_CrlUrlNamedRootCrl_ExitTwoOneLineNoCa(string url)
    {
        using var dir = new TempDir();

        CliRunner.Result init = Smime(dir, "ca", "init", "--name", "CN=Test Root, O=Test",
            "--intermediate", "--crl-url", url, "--password", CaPassword,
            "-o", dir.File("ca.pem"));

        Assert.Equal(2, init.ExitCode);
        Assert.Equal($"smime: The CRL URL '{url}' names the file root.crl, kept for the root's "
            + "CRL beside it; give the issuing CA's CRL another name.\n", init.StdErr);
        Assert.False(File.Exists(dir.File("ca.pem")));
        Assert.Equal(2, Smime(dir, "ca", "list").ExitCode);
    }

    [Fact]
    public void CrlRoot_RootOnlyCa_ExitTwoOneLineNothingWritten()
    {
        using var dir = new TempDir();
        InitCa(dir, "--crl-url", "http://127.0.0.1:9/ca.crl");

        CliRunner.Result run = Smime(dir, "ca", "crl", "--root", "--password", CaPassword,
            "-o", dir.File("root.crl"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("smime: This CA has no intermediate: the root is the issuer, and 'smime ca "
            + "crl' without --root signs its CRL.\n", run.StdErr);
        Assert.False(File.Exists(dir.File("root.crl")));
        Assert.Equal(0, run.StdOut.Length);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("366")]
    public void CrlRoot_DaysOutOfRange_ExitTwoNothingWritten(string days)
    {
        using var dir = new TempDir();
        InitCa(dir, "--intermediate");

        CliRunner.Result run = Smime(dir, "ca", "crl", "--root", "--days", days,
            "--password", CaPassword, "-o", dir.File("root.crl"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"smime: A root CRL valid for {days} days is refused: give 1 to 365 "
            + "(CA/B S/MIME BR §4.9.7).\n", run.StdErr);
        Assert.False(File.Exists(dir.File("root.crl")));
    }

    [Fact]
    public void CrlRoot_Intermediate_RootSignsNumberedCrlThirtyDaysByDefault()
    {
        using var dir = new TempDir();
        InitCa(dir, "--intermediate", "--crl-url", "http://127.0.0.1:9/ca.crl");
        SplitCa(dir);

        CliRunner.Result issuing = Smime(dir, "ca", "crl", "--password", CaPassword,
            "-o", dir.File("ca.crl"));
        CliRunner.Result root = Smime(dir, "ca", "crl", "--root", "--password", CaPassword,
            "-o", dir.File("root.crl"));
        CliRunner.Result year = Smime(dir, "ca", "crl", "--root", "--days", "365",
            "--password", CaPassword, "-o", dir.File("year.crl"));

        Assert.True(root.ExitCode == 0, root.StdErr);
        Assert.True(issuing.ExitCode == 0 && year.ExitCode == 0, issuing.StdErr + year.StdErr);
        Assert.Equal(TimeSpan.FromDays(30), Period(dir, "root.crl"));
        Assert.Equal(TimeSpan.FromDays(365), Period(dir, "year.crl"));
        Assert.Equal(TimeSpan.FromDays(7), Period(dir, "ca.crl"));
        string text = CrlText(dir, "root.crl");
        Assert.Contains("Issuer: O = Test, CN = Test Root\n", text);
        Assert.Contains("X509v3 CRL Number: \n                2\n", text);
        Assert.Contains("No Revoked Certificates.", text);
        Assert.Contains("Issuer: O = Test, CN = Test Root Issuing CA\n", CrlText(dir, "ca.crl"));
        Assert.Contains("verify OK", Peer.OpenSsl(dir.Path, "crl", "-in", "root.crl",
            "-CAfile", "root.pem", "-noout").StdErr);
    }

    [Fact]
    public void OpenSslVerify_CrlCheckAll_PassesThenRevokedAfterRevokeAndCrl()
    {
        using var dir = new TempDir();
        InitCa(dir, "--intermediate", "--crl-url", "http://127.0.0.1:9/ca.crl");
        SplitCa(dir);
        string serial = IssueAlice(dir);
        Assert.Equal(0, Smime(dir, "ca", "crl", "--password", CaPassword,
            "-o", dir.File("ca.crl")).ExitCode);
        Assert.Equal(0, Smime(dir, "ca", "crl", "--root", "--password", CaPassword,
            "-o", dir.File("root.crl")).ExitCode);
        string[] verify = ["verify", "-crl_check_all", "-CAfile", "root.pem", "-untrusted",
            "int.pem", "-CRLfile", "ca.crl", "-CRLfile", "root.crl", "alice.pem"];

        Peer.Result before = Peer.Run("openssl", verify, dir.Path);
        Peer.Result withoutRoot = Peer.Run("openssl",
            verify.Where((_, i) => i is not (8 or 9)), dir.Path);
        Assert.Equal(0, Smime(dir, "ca", "revoke", serial, "--reason", "keyCompromise")
            .ExitCode);
        Assert.Equal(0, Smime(dir, "ca", "crl", "--password", CaPassword,
            "-o", dir.File("ca.crl")).ExitCode);
        Peer.Result after = Peer.Run("openssl", verify, dir.Path);

        Assert.True(before.ExitCode == 0, before.StdErr);
        Assert.Equal("alice.pem: OK", before.StdOut.Trim());
        Assert.NotEqual(0, withoutRoot.ExitCode);
        Assert.Contains("unable to get certificate CRL", withoutRoot.StdErr);
        Assert.NotEqual(0, after.ExitCode);
        Assert.Contains("certificate revoked", after.StdErr);
    }

    [Fact]
    public void Revoke_Intermediate_RootCrlListsItOpenSslRefusesPathIssueRefused()
    {
        using var dir = new TempDir();
        InitCa(dir, "--intermediate", "--crl-url", "http://127.0.0.1:9/ca.crl");
        SplitCa(dir);
        IssueAlice(dir);
        string intermediate = X509CertificateLoader.LoadCertificateFromFile(dir.File("int.pem"))
            .SerialNumber;
        CliRunner.Result listed = Smime(dir, "ca", "list");

        CliRunner.Result revoke = Smime(dir, "ca", "revoke", intermediate,
            "--reason", "keyCompromise");
        Assert.Equal(0, Smime(dir, "ca", "crl", "--password", CaPassword,
            "-o", dir.File("ca.crl")).ExitCode);
        Assert.Equal(0, Smime(dir, "ca", "crl", "--root", "--password", CaPassword,
            "-o", dir.File("root.crl")).ExitCode);
        Peer.Result verify = Peer.Run("openssl", ["verify", "-crl_check_all", "-CAfile",
            "root.pem", "-untrusted", "int.pem", "-CRLfile", "ca.crl", "-CRLfile", "root.crl",
            "alice.pem"], dir.Path);
        Peer.OpenSsl(dir.Path, "req", "-new", "-newkey", "rsa:2048", "-nodes",
            "-keyout", "bob.key", "-out", "bob.csr", "-subj", "/CN=Bob",
            "-addext", "subjectAltName=email:bob@example.com");
        CliRunner.Result issue = Smime(dir, "ca", "issue", dir.File("bob.csr"),
            "--profile", "class3", "--password", CaPassword, "-o", dir.File("bob.pem"));

        Assert.Contains($"{intermediate}  valid  until ", listed.StdOut);
        Assert.Contains("  intermediate-ca    CN=Test Root Issuing CA, O=Test", listed.StdOut);
        Assert.True(revoke.ExitCode == 0, revoke.StdErr);
        Assert.Contains($"revoked {intermediate} CN=Test Root Issuing CA, O=Test (KeyCompromise)",
            revoke.StdOut);
        string rootCrl = CrlText(dir, "root.crl");
        Assert.Contains($"Serial Number: {intermediate}", rootCrl);
        Assert.Contains("Key Compromise", rootCrl);
        Assert.DoesNotContain(intermediate, CrlText(dir, "ca.crl"));
        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains("certificate revoked", verify.StdErr);
        Assert.Equal(2, issue.ExitCode);
        Assert.StartsWith("smime: The issuing CA 'CN=Test Root Issuing CA, O=Test' was revoked "
            + "on ", issue.StdErr);
        Assert.False(File.Exists(dir.File("bob.pem")));
    }

    [Fact]
    public async Task Serve_IntermediateCa_VerifyTrustingOnlyRootValidThenRevoked()
    {
        using var dir = new TempDir();
        int port = FreePort();
        string url = $"http://127.0.0.1:{port}/ca.crl";
        InitCa(dir, "--intermediate", "--crl-url", url);
        SplitCa(dir);
        string serial = IssueAlice(dir);
        SignAsAlice(dir);
        Assert.Equal(0, Smime(dir, "ca", "crl", "--password", CaPassword,
            "-o", dir.File("ca.crl")).ExitCode);
        Assert.Equal(0, Smime(dir, "ca", "crl", "--root", "--password", CaPassword,
            "-o", dir.File("root.crl")).ExitCode);
        string before = TrustOnlyRoot(dir, "before");
        string after = TrustOnlyRoot(dir, "after");

        CliRunner.Result valid, revoked;
        byte[] rootCrl, issuingCrl;
        await using (CaServer server = await CaServer.StartAsync(port,
            "--store", dir.File("store")))
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            rootCrl = await client.GetByteArrayAsync(server.Url + "root.crl");
            issuingCrl = await client.GetByteArrayAsync(server.Url + "ca.crl");
            valid = CliRunner.Run("verify", dir.File("signed.eml"), "--check-revocation",
                "--no-harvest", "--store", before);
            Assert.Equal(0, Smime(dir, "ca", "revoke", serial, "--reason", "superseded")
                .ExitCode);
            Assert.Equal(0, Smime(dir, "ca", "crl", "--password", CaPassword,
                "-o", dir.File("ca2.crl")).ExitCode);
            revoked = CliRunner.Run("verify", dir.File("signed.eml"), "--check-revocation",
                "--no-harvest", "--store", after);
            Assert.Equal(130, await server.StopAsync());
        }

        Assert.True(valid.ExitCode == 0, valid.StdOut + valid.StdErr);
        Assert.Contains("Verdict: Valid", valid.StdOut);
        Assert.Contains(Trusted, valid.StdOut);
        Assert.Equal(1, revoked.ExitCode);
        Assert.Contains($"Revoked: The certificate 'CN=Alice' is revoked (CRL from {url})",
            revoked.StdOut);
        Assert.Equal(File.ReadAllBytes(dir.File("root.crl")), Pem(rootCrl));
        Assert.Equal(File.ReadAllBytes(dir.File("ca.crl")), Pem(issuingCrl));
    }

    private static string TrustOnlyRoot(TempDir dir, string name)
    {
        string store = dir.File(name);
        CliRunner.Result import = CliRunner.Run("certs", "import", dir.File("root.pem"),
            "--trust", "--store", store);
        Assert.True(import.ExitCode == 0, import.StdErr);
        return store;
    }

    private static string IssueAlice(TempDir dir)
    {
        Peer.OpenSsl(dir.Path, "req", "-new", "-newkey", "rsa:2048", "-nodes",
            "-keyout", "alice.key", "-out", "alice.csr", "-subj", "/CN=Alice",
            "-addext", "subjectAltName=email:alice@example.com");
        CliRunner.Result issue = Smime(dir, "ca", "issue", dir.File("alice.csr"),
            "--profile", "class3", "--password", CaPassword, "-o", dir.File("alice.pem"));
        Assert.True(issue.ExitCode == 0, issue.StdErr);
        string serial = X509CertificateLoader.LoadCertificateFromFile(dir.File("alice.pem"))
            .SerialNumber;
        Assert.StartsWith($"smime: issued serial {serial} under ", issue.StdErr);
        Assert.EndsWith(" to 'CN=Alice'.\n", issue.StdErr);
        return serial;
    }

    // openssl signs and carries the intermediate, so a store holding only the root verifies.
    private static void SignAsAlice(TempDir dir)
    {
        File.WriteAllText(dir.File("body.txt"), "Content-Type: text/plain\r\n\r\nsigned\r\n");
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "body.txt", "-signer", "alice.pem",
            "-inkey", "alice.key", "-certfile", "int.pem", "-out", "signed.part");
        File.WriteAllText(dir.File("signed.eml"),
            "From: alice@example.com\r\n" + File.ReadAllText(dir.File("signed.part")));
    }

    private static byte[] Pem(byte[] der) => System.Text.Encoding.ASCII.GetBytes(
        System.Security.Cryptography.PemEncoding.WriteString("X509 CRL", der) + "\n");

    // nextUpdate - thisUpdate as openssl reads them.
    private static TimeSpan Period(TempDir dir, string file)
    {
        string[] lines = Peer.OpenSsl(dir.Path, "crl", "-in", file, "-noout", "-lastupdate",
            "-nextupdate", "-dateopt", "iso_8601").StdOut.Trim().Split('\n');
        static DateTimeOffset At(string line) => DateTimeOffset.ParseExact(
            line[(line.IndexOf('=') + 1)..], "yyyy-MM-dd HH:mm:ss'Z'",
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal);
        return At(lines[1]) - At(lines[0]);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static CliRunner.Result Smime(TempDir dir, params string[] args) =>
        CliRunner.Run([.. args, "--store", dir.File("store")]);

    private static void InitCa(TempDir dir, params string[] extra)
    {
        CliRunner.Result init = Smime(dir, ["ca", "init", "--name", "CN=Test Root, O=Test",
            "--password", CaPassword, "-o", dir.File("ca.pem"), .. extra]);
        Assert.True(init.ExitCode == 0, init.StdErr);
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

    private static string CertificateText(TempDir dir, string file) =>
        Peer.OpenSsl(dir.Path, "x509", "-in", file, "-noout", "-text").StdOut;

    private static string CrlText(TempDir dir, string file) =>
        Peer.OpenSsl(dir.Path, "crl", "-in", file, "-noout", "-text").StdOut;
}
