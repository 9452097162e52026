using Smime.Cli.Tests.Support;
using Smime.Mime;
using Smime.Tests.Support;

namespace Smime.Cli.Tests;

/// <summary>`smime certs harvest`: its one-line summary and its progress bar.</summary>
public sealed class CertsHarvestCommandTests
{
    [Fact]
    public void Harvest_MaildirTwice_SummaryCountsOnlyWhatIsNew()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        Files.WriteUser(dir, "alice");
        string store = dir.File("store");
        CliRunner.Run("certs", "import", dir.File("root.pem"), "--trust", "--store", store);
        string cur = Directory.CreateDirectory(dir.File("Maildir/cur")).FullName;
        Directory.CreateDirectory(dir.File("Maildir/tmp"));
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "message.eml", "-signer", "alice.crt",
            "-inkey", "alice.key", "-out", "signed.eml");

        // openssl writes no From outside the signed part; without one the verdict is
        // SenderMismatch, which is not harvested.
        File.WriteAllText(Path.Combine(cur, "1.eml"), "From: Alice <alice@example.com>\r\n"
            + File.ReadAllText(dir.File("signed.eml")));
        File.WriteAllText(Path.Combine(cur, "2.eml"), Files.Message);
        File.Copy(Path.Combine(cur, "1.eml"), dir.File("Maildir/tmp/3.eml"));
        Files.TamperBody(Path.Combine(cur, "1.eml"), "this is a test.", "this is a test!");
        File.WriteAllText(Path.Combine(cur, "4.eml"), File.ReadAllText(dir.File("Maildir/tmp/3.eml")));

        CliRunner.Result first = CliRunner.Run("certs", "harvest", dir.File("Maildir"),
            "--store", store);
        CliRunner.Result second = CliRunner.Run("certs", "harvest", dir.File("Maildir"),
            "--store", store);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal("harvest: 3 message(s) read, 2 signed, 1 valid, 1 certificate(s) new, "
            + "1 sender(s) updated.", first.StdOut.Split('\n')[0]);
        Assert.Equal("not harvested: 1 bad signature.", first.StdOut.Split('\n')[1]);
        Assert.Equal("harvest: 3 message(s) read, 2 signed, 1 valid, 0 certificate(s) new, "
            + "0 sender(s) updated.\nnot harvested: 1 bad signature.\n", second.StdOut);
        Assert.Equal(string.Empty, second.StdErr);
    }

    [Fact]
    public void Harvest_NothingSigned_SummaryStillPrinted()
    {
        using var dir = new TempDir();
        Files.WriteBasics(dir);
        string store = dir.File("store");

        CliRunner.Result harvest = CliRunner.Run("certs", "harvest", dir.File("message.eml"),
            "--store", store);

        Assert.Equal(0, harvest.ExitCode);
        Assert.Equal("harvest: 1 message(s) read, 0 signed, 0 valid, 0 certificate(s) new, "
            + "0 sender(s) updated.\n", harvest.StdOut);
    }

    [Fact]
    public void Render_HalfTheBytes_HalfBarAndPercentage()
    {
        var progress = new HarvestProgress("/mail/inbox.mbox", 12)
        {
            BytesDone = 500,
            BytesTotal = 1000,
        };

        string line = CertsHarvestCommand.ProgressBar.Render(progress);

        Assert.Equal("\rsmime: harvest [###############...............]  50% 12 message(s) "
            + "inbox.mbox\u001b[K", line);
    }

    [Fact]
    public void ProgressBar_Disabled_WritesNothing()
    {
        using var error = new StringWriter();
        var bar = new CertsHarvestCommand.ProgressBar(error, enabled: false);

        bar.Report(new HarvestProgress("a.eml", 1) { BytesDone = 1, BytesTotal = 2 });
        bar.Done();

        Assert.Equal(string.Empty, error.ToString());
    }

    [Fact]
    public void ProgressBar_Enabled_DrawsThenEndsTheLine()
    {
        using var error = new StringWriter();
        var bar = new CertsHarvestCommand.ProgressBar(error, enabled: true);

        bar.Report(new HarvestProgress("a.eml", 0) { BytesDone = 0, BytesTotal = 10 });
        bar.Report(new HarvestProgress("a.eml", 1) { BytesDone = 10, BytesTotal = 10 });
        bar.Done();

        Assert.Equal("\rsmime: harvest [..............................]   0% 0 message(s) a.eml"
            + "\u001b[K\rsmime: harvest [##############################] 100% 1 message(s) a.eml"
            + "\u001b[K" + Environment.NewLine, error.ToString());
    }
}
