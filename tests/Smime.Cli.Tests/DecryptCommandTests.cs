using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

public sealed class DecryptCommandTests
{
    [Theory]
    [InlineData("-aes-256-gcm")]
    [InlineData("-aes256")]
    public void Decrypt_OpenSslEncrypted_WritesThePlaintext(string cipher)
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "bob");
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", cipher, "-in", "message.eml",
            "-out", "enc.eml", "bob.crt");

        CliRunner.Result result = CliRunner.Run("decrypt", dir.File("enc.eml"),
            "-o", dir.File("plain.eml"), "--cert", dir.File("bob.crt"), "--key", dir.File("bob.key"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(cipher == "-aes256"
            ? $"smime: warning: {dir.File("enc.eml")} is enveloped-data (Aes256Cbc for "
                + "'CN=bob@example.com'), which has no integrity check, and no valid signature "
                + "covers it: it may have been altered on the way.\n"
            : string.Empty, result.StdErr);
        Assert.Contains("Hello Bob,\r\nthis is a test.", File.ReadAllText(dir.File("plain.eml")));
    }

    [Fact]
    public void Decrypt_Verbose_ReportsTheLayerOnStderr()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "bob");
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-aes-256-gcm", "-in", "message.eml",
            "-out", "enc.eml", "bob.crt");

        CliRunner.Result result = CliRunner.Run(File.ReadAllBytes(dir.File("enc.eml")),
            "decrypt", "--cert", dir.File("bob.p12"), "--password", Files.Password, "--verbose");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("smime: AuthEnvelopedData: ", result.StdErr);
        Assert.Contains("this is a test.", result.StdOut);
    }

    [Fact]
    public void Decrypt_WrongKey_ExitsOneAndWritesNothing()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "bob");
        Files.User carol = Files.WriteUser(dir, "carol");
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-aes-256-gcm", "-in", "message.eml",
            "-out", "enc.eml", "bob.crt");

        CliRunner.Result toFile = CliRunner.Run("decrypt", dir.File("enc.eml"),
            "-o", dir.File("plain.eml"), "--cert", carol.P12, "--password", Files.Password);
        CliRunner.Result toStdout = CliRunner.Run("decrypt", dir.File("enc.eml"),
            "--cert", carol.P12, "--password", Files.Password);

        Assert.Equal(1, toFile.ExitCode);
        Assert.StartsWith($"smime: {dir.File("enc.eml")}: ", HelpAndUsageTests.SingleLine(toFile.StdErr));
        Assert.False(File.Exists(dir.File("plain.eml")));
        Assert.DoesNotContain(Directory.GetFiles(dir.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Equal(1, toStdout.ExitCode);
        Assert.Empty(toStdout.StdOutBytes);
    }

    [Fact]
    public void Decrypt_TamperedGcmCiphertext_ExitsOneAndWritesNothing()
    {
        using var dir = new TempDir();
        Files.WriteUser(dir, "bob");
        string body = string.Concat(Enumerable.Repeat("All work and no play.\r\n", 200));
        File.WriteAllText(dir.File("big.eml"), Files.Message + body);
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-aes-256-gcm", "-in", "big.eml",
            "-out", "enc.eml", "bob.crt");

        // Two-thirds into the base64 lies the ciphertext, past the RecipientInfo.
        string[] lines = File.ReadAllLines(dir.File("enc.eml"));
        int target = lines.Length * 2 / 3;
        char first = lines[target][0];
        lines[target] = (first == 'A' ? 'B' : 'A') + lines[target][1..];
        File.WriteAllLines(dir.File("tampered.eml"), lines);

        CliRunner.Result result = CliRunner.Run("decrypt", dir.File("tampered.eml"),
            "-o", dir.File("plain.eml"), "--cert", dir.File("bob.crt"), "--key", dir.File("bob.key"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"smime: {dir.File("tampered.eml")}: ",
            HelpAndUsageTests.SingleLine(result.StdErr));
        Assert.False(File.Exists(dir.File("plain.eml")));
    }

    [Fact]
    public void Decrypt_OutputExists_IsReplacedOnlyOnSuccess()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "bob");
        Files.User carol = Files.WriteUser(dir, "carol");
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-aes-256-gcm", "-in", "message.eml",
            "-out", "enc.eml", "bob.crt");
        File.WriteAllText(dir.File("plain.eml"), "old");

        CliRunner.Result refused = CliRunner.Run("decrypt", dir.File("enc.eml"),
            "-o", dir.File("plain.eml"), "--cert", carol.P12, "--password", Files.Password);
        string afterRefusal = File.ReadAllText(dir.File("plain.eml"));
        CliRunner.Result done = CliRunner.Run("decrypt", dir.File("enc.eml"),
            "-o", dir.File("plain.eml"), "--cert", dir.File("bob.p12"), "--password", Files.Password);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("old", afterRefusal);
        Assert.Equal(0, done.ExitCode);
        Assert.Contains("this is a test.", File.ReadAllText(dir.File("plain.eml")));
    }
}
