using System.CommandLine;
using Smime.Certificates;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>`smime certs export`: PEM, DER, .p7c, or PKCS#12 (AES-256, PBKDF2).</summary>
internal sealed class CertsExportCommand
{
    private readonly Argument<string[]> _selectors = new("certificates")
    {
        Arity = ArgumentArity.OneOrMore,
        Description = "Thumbprints (or 8+ hex digits of them) or addresses.",
    };
    private readonly Option<string> _format = new("--format")
    {
        Description = "pem, der (one certificate), p7c (certs-only), mime (a certs-only "
            + "message part, smime.p7c), p12 (with private keys).",
        DefaultValueFactory = _ => "pem",
    };
    private readonly Option<string?> _output = CommonOptions.Output();
    private readonly IdentityOptions _identity = new("(unused)");
    private readonly Option<string?> _exportPassword = new("--export-password")
    {
        Description = "p12: the new file's password; --password (which opens the stored "
            + "keys) when absent.",
        HelpName = "PASSWORD",
    };
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        _format.AcceptOnlyFromAmong("pem", "der", "p7c", "mime", "p12");
        var command = new Command("export", "Export certificates (and, as p12, their keys).")
        {
            _selectors,
            _format,
            _output,
            _identity.Password,
            _identity.PasswordFile,
            _exportPassword,
        };
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        using CertificateStore store = _store.OpenExisting(result);
        List<string> thumbprints = (result.GetValue(_selectors) ?? [])
            .Select(s => StoreOptions.Select(store, s).Thumbprint)
            .ToList();
        CertificateExportFormat format = result.GetValue(_format) switch
        {
            "der" => CertificateExportFormat.Der,
            "p7c" => CertificateExportFormat.P7c,
            "p12" => CertificateExportFormat.Pkcs12,
            _ => CertificateExportFormat.Pem,
        };
        string? password = _identity.GetPassword(result);
        if (format == CertificateExportFormat.Pkcs12 && string.IsNullOrEmpty(password))
        {
            throw new UsageException("--format p12", "needs --password or --password-file.");
        }

        if (result.GetValue(_format) == "mime")
        {
            using OutputFile mime = OutputFile.Create(result.GetValue(_output), null, context);
            CertsOnlyMessage.Write(thumbprints.Select(t => store.Find(t)!.Certificate),
                mime.Stream, context.CancellationToken);
            mime.Commit();
            return ExitCodes.Success;
        }

        byte[] data = store.Export(
            thumbprints, format, password, result.GetValue(_exportPassword));
        using OutputFile output = OutputFile.Create(result.GetValue(_output), null, context);
        output.Stream.Write(data);
        output.Commit();
        return ExitCodes.Success;
    }
}
