using System.CommandLine;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>`smime certs crl`: imports CRLs by hand into the store's cache.</summary>
internal sealed class CertsCrlCommand
{
    private readonly Argument<string[]> _files = new("files")
    {
        Arity = ArgumentArity.OneOrMore,
        Description = "CRL files, DER or PEM.",
    };
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("crl", "Import CRLs (checked against their issuer when stored).")
        {
            _files,
        };
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        using CertificateStore store = _store.Open(result);
        foreach (string file in result.GetValue(_files) ?? [])
        {
            context.CurrentFile = file;
            if (!File.Exists(file))
            {
                throw new UsageException(file, "no such file.");
            }

            context.Out.WriteLine($"imported {store.AddCrl(File.ReadAllBytes(file), null)}");
        }

        return ExitCodes.Success;
    }
}
