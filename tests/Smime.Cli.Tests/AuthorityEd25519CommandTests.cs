using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>
/// `smime key new --key-type ed25519` and `smime ca issue` of Ed25519 CSRs (RFC 8410), checked
/// by openssl; the key is made and the CSR checked with BouncyCastle (.NET has no Ed25519).
/// </summary>
public sealed class AuthorityEd25519CommandTests
{
    private const string CaPassword = "ca-secret";
    private const string KeyPassword = "alice-secret";

    [Fact]
    public void KeyNew_Ed25519_OpenSslReqVerifiesAndSeesRequestedExtensions()
    {
        using var dir = new TempDir();

        CliRunner.Result run = Smime(dir, "key", "new", "--email", "alice@example.com",
            "--name", "Alice Example", "--org", "Example Ltd", "--key-type", "ed25519",
            "--password", KeyPassword, "-o", dir.File("alice.csr"));
        CliRunner.Result list = Smime(dir, "key", "list");

        Assert.True(run.ExitCode == 0, run.StdErr);
        Peer.Result req = Peer.OpenSsl(dir.Path,
            "req", "-in", "alice.csr", "-verify", "-noout", "-text");
        Assert.Contains("verify OK", req.StdErr + req.StdOut);
        Assert.Contains("Subject: O = Example Ltd, CN = Alice Example", req.StdOut);
        Assert.Contains("Public Key Algorithm: ED25519", req.StdOut);
        Assert.Contains("Signature Algorithm: ED25519", req.StdOut);
        Assert.Contains("email:alice@example.com", req.StdOut);
        Assert.Contains("X509v3 Key Usage: critical\n                    Digital Signature\n",
            req.StdOut);
        Assert.Contains("E-mail Protection", req.StdOut);
        Assert.EndsWith("  alice@example.com  CN=Alice Example, O=Example Ltd\n", list.StdOut);
    }

    [Fact]
    public void Issue_KeyNewEd25519_OpenSslVerifiesSmimeSignThenVerifyValid()
    {
        using var dir = new TempDir();
        InitCa(dir);
        CliRunner.Result key = Smime(dir, "key", "new", "--email", "alice@example.com",
            "--key-type", "ed25519", "--password", KeyPassword, "-o", dir.File("alice.csr"));
        Assert.True(key.ExitCode == 0, key.StdErr);

        CliRunner.Result issue = Smime(dir, "ca", "issue", dir.File("alice.csr"),
            "--profile", "mailbox-strict", "--password", CaPassword, "-o", dir.File("alice.pem"));
        CliRunner.Result pair = Smime(dir, "key", "import-cert", dir.File("alice.pem"));
        File.WriteAllText(dir.File("msg.eml"), "From: alice@example.com\r\n"
            + "Content-Type: text/plain\r\n\r\nhello from Ed25519\r\n");
        CliRunner.Result sign = Smime(dir, "sign", dir.File("msg.eml"),
            "--password", KeyPassword, "-o", dir.File("signed.eml"));
        CliRunner.Result verify = Smime(dir, "verify", dir.File("signed.eml"),
            "--offline", "--no-harvest");

        Assert.True(issue.ExitCode == 0, issue.StdErr);
        Peer.Result openssl = Peer.OpenSsl(dir.Path, "verify", "-purpose", "smimesign",
            "-CAfile", "ca.pem", "alice.pem");
        Assert.Equal("alice.pem: OK", openssl.StdOut.Trim());
        Peer.Result text = Peer.OpenSsl(dir.Path, "x509", "-in", "alice.pem", "-noout", "-text");
        Assert.Contains("X509v3 Key Usage: critical\n                Digital Signature\n",
            text.StdOut);
        Assert.True(pair.ExitCode == 0, pair.StdErr);
        Assert.StartsWith("paired ", pair.StdOut);
        Assert.True(sign.ExitCode == 0, sign.StdErr);
        Assert.True(verify.ExitCode == 0, verify.StdErr + verify.StdOut);
        Assert.StartsWith("Verdict: Valid", verify.StdOut);
        Assert.Contains("algorithm:  Ed25519", verify.StdOut);
    }

    [Fact]
    public void Issue_OpenSslEd25519Csr_OpenSslVerifiesSmimeSign()
    {
        using var dir = new TempDir();
        InitCa(dir);
        Peer.OpenSsl(dir.Path, "genpkey", "-algorithm", "ed25519", "-out", "olga.key");
        Peer.OpenSsl(dir.Path, "req", "-new", "-key", "olga.key", "-subj", "/CN=Olga",
            "-addext", "subjectAltName=email:olga@example.com", "-out", "olga.csr");

        CliRunner.Result issue = Smime(dir, "ca", "issue", dir.File("olga.csr"),
            "--profile", "individual-multipurpose", "--password", CaPassword,
            "-o", dir.File("olga.pem"));

        Assert.True(issue.ExitCode == 0, issue.StdErr);
        Peer.Result verify = Peer.OpenSsl(dir.Path, "verify", "-purpose", "smimesign",
            "-CAfile", "ca.pem", "olga.pem");
        Assert.Equal("olga.pem: OK", verify.StdOut.Trim());
        Peer.Result text = Peer.OpenSsl(dir.Path, "x509", "-in", "olga.pem", "-noout", "-text");
        Assert.Contains("Public Key Algorithm: ED25519", text.StdOut);
        Assert.Contains("email:olga@example.com", text.StdOut);
    }

    [Fact]
    public void Issue_TamperedEd25519Csr_ExitTwoOneLineNothingIssued()
    {
        using var dir = new TempDir();
        InitCa(dir);
        Assert.Equal(0, Smime(dir, "key", "new", "--email", "alice@example.com",
            "--key-type", "ed25519", "--password", KeyPassword,
            "-o", dir.File("alice.csr")).ExitCode);
        string pem = File.ReadAllText(dir.File("alice.csr"));
        byte[] der = Convert.FromBase64String(string.Concat(pem.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
        der[^5] ^= 0x01;
        File.WriteAllText(dir.File("bad.csr"),
            System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE REQUEST", der));
        CliRunner.Result before = Smime(dir, "ca", "list");

        CliRunner.Result run = Smime(dir, "ca", "issue", dir.File("bad.csr"),
            "--profile", "mailbox-strict", "--password", CaPassword, "-o", dir.File("out.pem"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "smime: The CSR's signature does not verify under its own public key (RFC 2986 §3): "
            + "it was altered or made without the private key.", run.StdErr.Trim());
        Assert.False(File.Exists(dir.File("out.pem")));
        Assert.Equal(before.StdOut, Smime(dir, "ca", "list").StdOut);
    }

    private static CliRunner.Result Smime(TempDir dir, params string[] args) =>
        CliRunner.Run([.. args, "--store", dir.File("store")]);

    private static void InitCa(TempDir dir)
    {
        CliRunner.Result init = Smime(dir, "ca", "init", "--name", "CN=Test Root, O=Test",
            "--password", CaPassword, "-o", dir.File("ca.pem"));
        Assert.True(init.ExitCode == 0, init.StdErr);
    }
}
