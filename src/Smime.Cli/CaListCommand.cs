using System.CommandLine;
using Smime.Authority;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>`smime ca list`: every serial the CA spent, with its state.</summary>
internal sealed class CaListCommand
{
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("list", "List issued certificates and their status.");
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        using CertificateStore store = _store.OpenExisting(result);
        CertificateAuthority ca = CertificateAuthority.Open(store);
        context.Printed.WriteLine($"CA {ca.Issuer.Subject}");
        foreach (IssuedCertificate issued in ca.List())
        {
            string state = issued.State switch
            {
                IssuedCertificateState.Revoked =>
                    $"revoked {issued.RevokedAt:yyyy-MM-dd} ({issued.Reason})",
                IssuedCertificateState.Reserved => "reserved (never completed)",
                _ => issued.NotAfter < DateTimeOffset.UtcNow ? "expired" : "valid",
            };
            context.Printed.WriteLine(
                $"{issued.Serial}  {state}  until {issued.NotAfter:yyyy-MM-dd}  "
                + $"{issued.Profile}  {issued.Address}  {issued.Subject}");
        }

        return ExitCodes.Success;
    }
}
