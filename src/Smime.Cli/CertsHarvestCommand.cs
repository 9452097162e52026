using System.CommandLine;
using Smime.Certificates;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>`smime certs harvest`: stores what validly signed mail offers (RFC 8551 §2.7.1).</summary>
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
            "Verify mail and store its signers' certificates and capabilities.")
        {
            _paths,
        };
        _store.AddTo(command, revocation: true);
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
        var progress = new Progress(context);
        HarvestReport report = MessageHarvester.HarvestFiles(
            store, paths, revocation, progress, context.CancellationToken);
        progress.Done();

        context.Out.WriteLine(
            $"read {report.MessagesRead} message(s), {report.MessagesSigned} signed, "
            + $"{report.MessagesHarvested} harvested.");
        foreach (StoredCertificate certificate in report.NewCertificates)
        {
            context.Out.WriteLine($"new certificate {certificate.Thumbprint[..16]} "
                + $"{certificate.Subject}");
        }

        foreach (string sender in report.UpdatedSenders)
        {
            context.Out.WriteLine($"capabilities updated for {sender}");
        }

        foreach (string skipped in report.Skipped)
        {
            context.Detail($"skipped {skipped}");
        }

        return ExitCodes.Success;
    }

    // A one-line counter on stderr, rewritten in place; only when --verbose, so that
    // scripts' logs stay clean.
    private sealed class Progress : IProgress<HarvestProgress>
    {
        private readonly CliContext _context;
        private bool _shown;

        public Progress(CliContext context)
        {
            _context = context;
        }

        public void Report(HarvestProgress value)
        {
            if (!_context.Verbose)
            {
                return;
            }

            _context.Error.Write($"\rsmime: harvesting: {value.MessagesRead} message(s) read, "
                + $"now {Path.GetFileName(value.Path)}\u001b[K");
            _shown = true;
        }

        public void Done()
        {
            if (_shown)
            {
                _context.Error.WriteLine();
            }
        }
    }
}
