using System.Diagnostics;
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

    [Fact]
    public async Task Executable_InterruptedWhileReadingStdin_ExitsOneThirtyLeavingNothing()
    {
        using var dir = new TempDir();
        Files.User alice = Files.WriteUser(dir, "alice");
        var info = new ProcessStartInfo(CliRunner.FindExecutable())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir.Path,
        };
        foreach (string argument in new[]
            { "sign", "-o", "signed.eml", "--cert", alice.Crt, "--key", alice.Key })
        {
            info.ArgumentList.Add(argument);
        }

        using Process smime = Process.Start(info)!;
        Task<string> stderr = smime.StandardError.ReadToEndAsync();
        smime.StandardInput.Write("From: alice@example.com\r\n");
        smime.StandardInput.Flush();
        await Task.Delay(1500);
        Peer.Run("kill", ["-INT", smime.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var timeout = new CancellationTokenSource(15_000);
        bool exited = true;
        try
        {
            await smime.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            exited = false;
            smime.Kill();
        }

        Assert.True(exited, "smime did not stop on SIGINT.");
        Assert.Equal(130, smime.ExitCode);
        Assert.Equal("smime: cancelled.", HelpAndUsageTests.SingleLine(await stderr));
        Assert.Equal(["alice.crt", "alice.key", "alice.p12"], HelpAndUsageTests.Listing(dir));
    }
}
