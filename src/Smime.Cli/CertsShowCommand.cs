using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>`smime certs show`: one certificate in full, as a person reads it.</summary>
internal sealed class CertsShowCommand
{
    private readonly Argument<string> _selector = new("certificate")
    {
        Description = "A thumbprint (or 8+ hex digits of it) or an address.",
    };
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("show", "Show one certificate in full.") { _selector };
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        using CertificateStore store = _store.OpenExisting(result);
        StoredCertificate c = StoreOptions.Select(store, result.GetValue(_selector)!);
        TextWriter o = context.Printed;
        o.WriteLine($"Subject:        {c.Subject}");
        o.WriteLine($"Issuer:         {c.Issuer}");
        o.WriteLine($"Serial:         {c.SerialNumber}");
        o.WriteLine($"Valid from:     {c.NotBefore:u}");
        o.WriteLine($"Valid until:    {c.NotAfter:u}");
        string addresses = c.Addresses.Count == 0 ? "-" : string.Join(", ", c.Addresses);
        o.WriteLine($"Addresses:      {addresses}");
        o.WriteLine($"Key:            {c.KeyDescription}");
        o.WriteLine($"Private key:    {(c.HasPrivateKey ? "stored (encrypted)" : "no")}");
        o.WriteLine($"Usages:         {CertsListCommand.Usages(c)}");
        o.WriteLine($"Trust anchor:   {(c.IsTrustAnchor ? "yes" : "no")}");
        o.WriteLine($"SHA-256:        {c.Thumbprint}");
        o.WriteLine($"SHA-1:          {c.Certificate.Thumbprint}");
        foreach (string url in RevocationChecker.CrlDistributionPoints(c.Certificate))
        {
            o.WriteLine($"CRL:            {url}");
        }

        foreach (string url in RevocationChecker.OcspResponders(c.Certificate))
        {
            o.WriteLine($"OCSP:           {url}");
        }

        foreach (X509Extension extension in c.Certificate.Extensions)
        {
            o.WriteLine($"Extension:      {extension.Oid?.FriendlyName ?? extension.Oid?.Value}"
                + $" ({extension.Oid?.Value}){(extension.Critical ? ", critical" : "")}");
        }

        SenderRecord? sender = c.Addresses.Select(store.GetSender).FirstOrDefault(s => s is not null);
        if (sender is not null)
        {
            o.WriteLine($"Capabilities:   {string.Join(", ", sender.Capabilities.Select(k => k.Oid))}"
                + $" (signed {sender.SigningTime:u})");
        }

        return ExitCodes.Success;
    }
}
