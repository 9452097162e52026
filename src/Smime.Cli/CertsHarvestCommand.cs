using System.CommandLine;
using Smime.Certificates;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>
/// `smime certs harvest`: stores what validly signed mail offers (RFC 8551 §2.7.1), checking
/// revocation by default as `verify` does.
/// </summary>
internal sealed class CertsHarvestCommand
{
    private readonly Argument<string[]> _paths = new("paths")
    {
        Arity = ArgumentArity.OneOrMore,
        Description = ".eml files, mbox files, Maildir folders.",
    };
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("harvest",
            "Verify mail and store the certificates and capabilities of messages whose verdict "
            + "is Valid (trusted, not revoked, matching the sender). Revocation is checked as "
            + "verify checks it: cached CRLs, then CRL distribution points and OCSP "
            + "(--offline: the cache only). --verbose names each message not harvested.")
        {
            _paths,
        };
        _store.AddTo(command, revocation: true, revocationByDefault: true);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        string[] paths = result.GetValue(_paths) ?? [];
        foreach (string path in paths)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new UsageException(path, "no such file or folder.");
            }
        }

        using CertificateStore store = _store.Open(result);
        using RevocationChecker? revocation = _store.Revocation(result, store);
        var progress = new ProgressBar(context.Error, IsTerminal(context.Error));
        HarvestReport report;
        try
        {
            report = MessageHarvester.HarvestFiles(
                store, paths, revocation, progress, context.CancellationToken);
        }
        finally
        {
            progress.Done();
        }

        context.Printed.WriteLine(Summary(report));
        if (SkippedSummary(report) is { } skipped)
        {
            context.Printed.WriteLine(skipped);
        }

        foreach (StoredCertificate certificate in report.NewCertificates)
        {
            context.Printed.WriteLine($"new certificate {certificate.Thumbprint[..16]} "
                + $"{certificate.Subject}");
        }

        foreach (string sender in report.UpdatedSenders)
        {
            context.Printed.WriteLine($"capabilities updated for {sender}");
        }

        foreach (string line in report.Skipped)
        {
            context.Detail($"not harvested: {line}");
        }

        return ExitCodes.Success;
    }

    /// <summary>The one line printed after every harvest, whatever it found.</summary>
    internal static string Summary(HarvestReport report) =>
        $"harvest: {report.MessagesRead} message(s) read, {report.MessagesSigned} signed, "
        + $"{report.MessagesHarvested} valid, {report.NewCertificates.Count} certificate(s) new, "
        + $"{report.UpdatedSenders.Count} sender(s) updated.";

    /// <summary>
    /// The line naming how many signed messages were not harvested, by reason; null when none.
    /// </summary>
    internal static string? SkippedSummary(HarvestReport report) =>
        report.SkippedByReason.Count == 0
            ? null
            : "not harvested: " + string.Join(", ", report.SkippedByReason
                .Select(r => $"{r.Value} {Describe(r.Key)}")) + ".";

    private static string Describe(NotHarvestedReason reason) => reason switch
    {
        NotHarvestedReason.Unreadable => "unreadable",
        NotHarvestedReason.BadSignature => "bad signature",
        NotHarvestedReason.Untrusted => "untrusted",
        NotHarvestedReason.Revoked => "revoked",
        NotHarvestedReason.RevocationUnknown => "revocation unknown",
        NotHarvestedReason.Expired => "expired",
        NotHarvestedReason.SenderMismatch => "sender mismatch",
        NotHarvestedReason.PartiallySigned => "partly signed",
        _ => "not signed",
    };

    // Only the process's own stderr, and only when a person watches it: a log file or a
    // test's writer gets no control characters.
    private static bool IsTerminal(TextWriter error) =>
        ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    // A bar on stderr, rewritten in place with \r, at most every RedrawInterval; in bytes of
    // the input, since an mbox's message count is not known before it is read.
    internal sealed class ProgressBar : IProgress<HarvestProgress>
    {
        private const int Width = 30;
        private static readonly TimeSpan s_redrawInterval = TimeSpan.FromMilliseconds(100);

        private readonly TextWriter _error;
        private readonly bool _enabled;
        private readonly System.Diagnostics.Stopwatch _clock = new();
        private bool _shown;

        public ProgressBar(TextWriter error, bool enabled)
        {
            _error = error;
            _enabled = enabled;
        }

        public void Report(HarvestProgress value)
        {
            bool finished = value.BytesDone >= value.BytesTotal;
            if (!_enabled || (_shown && !finished && _clock.Elapsed < s_redrawInterval))
            {
                return;
            }

            _error.Write(Render(value));
            _error.Flush();
            _shown = true;
            _clock.Restart();
        }

        public void Done()
        {
            if (_shown)
            {
                _error.WriteLine();
            }
        }

        /// <summary>The line as drawn: \r, the bar, the percentage, the count, the file.</summary>
        internal static string Render(HarvestProgress value)
        {
            double fraction = value.BytesTotal <= 0
                ? 1
                : Math.Clamp((double)value.BytesDone / value.BytesTotal, 0, 1);
            int filled = (int)(fraction * Width);
            return $"\rsmime: harvest [{new string('#', filled)}{new string('.', Width - filled)}]"
                + $" {fraction * 100,3:0}% {value.MessagesRead} message(s) "
                + $"{Path.GetFileName(value.Path)}\u001b[K";
        }
    }
}
