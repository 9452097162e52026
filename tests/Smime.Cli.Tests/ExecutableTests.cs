using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>Runs the built `smime` executable as a separate process, as a shell would.</summary>
public sealed class ExecutableTests
{
    [Fact]
    public void Executable_Help_ExitsZero()
    {
        using var dir = new TempDir();

        Peer.Result result = CliRunner.RunExecutable(dir.Path, null, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.StdOut);
        Assert.EndsWith("smime", CliRunner.FindExecutable());
    }

    [Fact]
    public void Executable_MissingFile_ExitsTwoWithOneLine()
    {
        using var dir = new TempDir();
        Files.User alice = Files.WriteUser(dir, "alice");

        Peer.Result result = CliRunner.RunExecutable(dir.Path, null,
            "sign", "absent.eml", "--cert", alice.Crt, "--key", alice.Key);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("smime: absent.eml: no such file.", HelpAndUsageTests.SingleLine(result.StdErr));
    }

    [Fact]
    public void Executable_SignFromStdin_OpenSslVerifiesStdout()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");

        Peer.Result result = CliRunner.RunExecutable(dir.Path, Files.Message,
            "sign", "--cert", "alice.p12", "--password", Files.Password);

        Assert.Equal(0, result.ExitCode);
        File.WriteAllText(dir.File("signed.eml"), result.StdOut);
        Peer.OpenSsl(dir.Path, "cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem",
            "-out", "content.eml");
    }
}
