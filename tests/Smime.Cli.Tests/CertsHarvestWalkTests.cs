using System.Diagnostics;
using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>The folder walk of `certs harvest`: regular files only, no link followed.</summary>
public sealed class CertsHarvestWalkTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(60);

    [Fact]
    public void Harvest_MaildirWithAFifo_EndsAndSaysItSkippedThePipe()
    {
        using var dir = new TempDir();
        string store = SignedMaildir(dir);
        string fifo = dir.File("Maildir/cur/x");
        RunTool("mkfifo", fifo);

        CliRunner.Result run = RunGuarded("certs", "harvest", dir.File("Maildir"), "--store",
            store, "--verbose");

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal("harvest: 1 message(s) read, 1 signed, 1 valid, 1 certificate(s) new, "
            + "1 sender(s) updated.\n", FirstLine(run.StdOut));
        Assert.Contains($"smime: not harvested: {fifo}: a named pipe, not a file; not read\n",
            run.StdErr);
    }

    [Fact]
    public void Harvest_MaildirWithTwoLinksToItsParent_ReadsEachMessageOnce()
    {
        using var dir = new TempDir();
        string store = SignedMaildir(dir);
        string cur = dir.File("Maildir/cur");
        Directory.CreateSymbolicLink(Path.Combine(cur, "a"), "..");
        Directory.CreateSymbolicLink(Path.Combine(cur, "b"), "..");

        CliRunner.Result run = RunGuarded("certs", "harvest", dir.File("Maildir"), "--store",
            store, "--verbose");

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal("harvest: 1 message(s) read, 1 signed, 1 valid, 1 certificate(s) new, "
            + "1 sender(s) updated.\n", FirstLine(run.StdOut));
        Assert.Contains($"smime: not harvested: {Path.Combine(cur, "a")}: a symbolic link; "
            + "not followed\n", run.StdErr);
        Assert.Contains($"smime: not harvested: {Path.Combine(cur, "b")}: a symbolic link; "
            + "not followed\n", run.StdErr);
    }

    [Fact]
    public void Harvest_NamedFifo_SkippedAsUnreadable()
    {
        using var dir = new TempDir();
        string fifo = dir.File("pipe");
        RunTool("mkfifo", fifo);

        CliRunner.Result run = RunGuarded("certs", "harvest", fifo, "--store", dir.File("store"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("harvest: 0 message(s) read, 0 signed, 0 valid, 0 certificate(s) new, "
            + "0 sender(s) updated.\nnot harvested: 1 unreadable.\n", run.StdOut);
    }

    // A Maildir with one message signed by alice, and a store trusting the test root.
    private static string SignedMaildir(TempDir dir)
    {
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        string store = dir.File("store");
        Assert.Equal(0, CliRunner.Run("certs", "import", dir.File("root.pem"), "--trust",
            "--store", store).ExitCode);
        Directory.CreateDirectory(dir.File("Maildir/cur"));
        Directory.CreateDirectory(dir.File("Maildir/new"));
        Directory.CreateDirectory(dir.File("Maildir/tmp"));
        CliRunner.Result sign = CliRunner.Run("sign", dir.File("message.eml"), "--cert",
            alice.P12, "--password", Files.Password, "-o", dir.File("Maildir/cur/1.eml"));
        Assert.True(sign.ExitCode == 0, sign.StdErr);
        return store;
    }

    private static string FirstLine(string text) => text[..(text.IndexOf('\n') + 1)];

    private static CliRunner.Result RunGuarded(params string[] args)
    {
        Task<CliRunner.Result> run = Task.Run(() => CliRunner.Run(args));
        Assert.True(run.Wait(s_guard), "the harvest did not end");
        return run.Result;
    }

    private static void RunTool(string tool, params string[] args)
    {
        using Process process = Process.Start(tool, args);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
