using System.CommandLine;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>`smime certs trust` and `smime certs untrust`: trust anchors.</summary>
internal sealed class CertsTrustCommand
{
    private readonly bool _trust;
    private readonly Argument<string> _selector = new("certificate")
    {
        Description = "A thumbprint (or 8+ hex digits of it) or an address.",
    };
    private readonly StoreOptions _store = new();

    public CertsTrustCommand(bool trust)
    {
        _trust = trust;
    }

    public Command Build(CliContext context)
    {
        var command = _trust
            ? new Command("trust", "Trust a certificate in the store as an anchor.")
            : new Command("untrust", "Stop trusting a certificate as an anchor.");
        command.Arguments.Add(_selector);
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        using CertificateStore store = _store.OpenExisting(result);
        StoredCertificate certificate = StoreOptions.Select(store, result.GetValue(_selector)!);
        store.SetTrusted(certificate.Thumbprint, _trust);
        context.Printed.WriteLine(
            $"{(_trust ? "trusted" : "untrusted")} {certificate.Thumbprint[..16]} "
            + certificate.Subject);
        return ExitCodes.Success;
    }
}
