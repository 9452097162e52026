using Smime.Cli.Tests.Support;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>How the command maps what happens to exit codes and stderr lines.</summary>
public sealed class CliTests
{
    [Fact]
    public void Run_Cancelled_ExitsOneThirtyAndWritesNothing()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.User alice = Files.WriteUser(dir, "alice");
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();

        int code = Cli.Run(
            ["sign", dir.File("message.eml"), "-o", dir.File("signed.eml"),
                "--cert", alice.Crt, "--key", alice.Key],
            new MemoryStream(), stdout, stderr, new CancellationToken(canceled: true));

        Assert.Equal(130, code);
        Assert.Equal("smime: cancelled.", HelpAndUsageTests.SingleLine(stderr.ToString()));
        Assert.False(File.Exists(dir.File("signed.eml")));
        Assert.DoesNotContain(Directory.GetFiles(dir.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_UnexpectedException_ExitsThreeWithOneLine()
    {
        using var stderr = new StringWriter();
        var context = new CliContext(
            Stream.Null, Stream.Null, TextWriter.Null, stderr, CancellationToken.None);

        int code = Cli.Report(new InvalidOperationException("The state is odd."), context);

        Assert.Equal(3, code);
        Assert.Equal("smime: internal error: InvalidOperationException: The state is odd.",
            HelpAndUsageTests.SingleLine(stderr.ToString()));
    }

    [Fact]
    public void Report_Verbose_AddsTheException()
    {
        using var stderr = new StringWriter();
        var context = new CliContext(
            Stream.Null, Stream.Null, TextWriter.Null, stderr, CancellationToken.None)
        {
            Verbose = true,
            CurrentFile = "in.eml",
        };

        int code = Cli.Report(new FormatException("Bad header.\nSecond line."), context);

        Assert.Equal(2, code);
        Assert.StartsWith("smime: in.eml: Bad header. Second line.\nSystem.FormatException", stderr.ToString());
    }
}
