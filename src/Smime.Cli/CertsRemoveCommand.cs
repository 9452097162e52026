using System.CommandLine;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>`smime certs remove`: deletes certificates and their keys from the store.</summary>
internal sealed class CertsRemoveCommand
{
    private readonly Argument<string[]> _selectors = new("certificates")
    {
        Arity = ArgumentArity.OneOrMore,
        Description = "Thumbprints (or 8+ hex digits of them) or addresses.",
    };
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("remove", "Remove certificates and their private keys.")
        {
            _selectors,
        };
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        using CertificateStore store = _store.OpenExisting(result);

        // Every name is resolved before anything is removed: a typo removes nothing.
        List<StoredCertificate> selected = (result.GetValue(_selectors) ?? [])
            .Select(s => StoreOptions.Select(store, s))
            .ToList();
        foreach (StoredCertificate certificate in selected)
        {
            store.Remove(certificate.Thumbprint);
            context.Printed.WriteLine(
                $"removed {certificate.Thumbprint[..16]} {certificate.Subject}");
        }

        return ExitCodes.Success;
    }
}
