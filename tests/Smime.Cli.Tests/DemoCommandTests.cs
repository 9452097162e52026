using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_InMemory_ExitsZeroAndSaysValid()
    {
        CliRunner.Result result = CliRunner.Run("demo");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Verdict: Valid\n", result.StdOut);
        Assert.Contains("The signature is valid.", result.StdOut);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Fact]
    public void Demo_Keep_WritesFilesThatOpenSslAccepts()
    {
        using var dir = new TempDir();
        string keep = dir.File("demo");

        CliRunner.Result result = CliRunner.Run("demo", "--keep", keep);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["alice.crt", "alice.key", "alice.p12", "bob.crt", "bob.key", "bob.p12",
                "content.eml", "decrypted.eml", "encrypted.eml", "message.eml", "root.pem",
                "signed.eml"],
            Directory.GetFiles(keep).Select(Path.GetFileName).Order());
        Peer.OpenSsl(keep, "cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem",
            "-out", "verified.eml");
        Peer.OpenSsl(keep, "cms", "-decrypt", "-in", "encrypted.eml", "-recip", "bob.crt",
            "-inkey", "bob.key", "-passin", "pass:demo", "-out", "opened.eml");
        Peer.OpenSsl(keep, "cms", "-verify", "-in", "opened.eml", "-CAfile", "root.pem",
            "-out", "opened-content.eml");
        Assert.Contains("Hello Bob,", File.ReadAllText(Path.Combine(keep, "opened-content.eml")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Demo_Keep_PrivateKeysOwnerOnlyEvenOverAnOlderFile()
    {
        using var dir = new TempDir();
        string keep = dir.File("demo");
        Directory.CreateDirectory(keep);
        File.WriteAllText(Path.Combine(keep, "alice.key"), "old");
        File.SetUnixFileMode(Path.Combine(keep, "alice.key"), (UnixFileMode)0b110_100_100);

        CliRunner.Result result = CliRunner.Run("demo", "--keep", keep);

        Assert.Equal(0, result.ExitCode);
        foreach (string name in new[] { "alice.key", "alice.p12", "bob.key", "bob.p12" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
                File.GetUnixFileMode(Path.Combine(keep, name)));
        }

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----",
            File.ReadAllText(Path.Combine(keep, "alice.key")));
    }
}
