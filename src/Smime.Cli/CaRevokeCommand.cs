using System.CommandLine;
using Smime.Authority;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>`smime ca revoke`: records a revocation; `smime ca crl` publishes it.</summary>
internal sealed class CaRevokeCommand
{
    private readonly Argument<string> _serial = new("serial")
    {
        Description = "The serial number (hex, colons allowed), or 8+ leading hex digits of it.",
    };
    private readonly Option<string> _reason = new("--reason")
    {
        Description = "keyCompromise, affiliationChanged, superseded, cessationOfOperation, "
            + "privilegeWithdrawn or unspecified.",
        DefaultValueFactory = _ => "unspecified",
    };
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("revoke", "Revoke an issued certificate.")
        {
            _serial,
            _reason,
        };
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    // Our serials are 16 random bytes or so; fewer than 8 hex digits is a typo more likely
    // than a prefix that names one certificate.
    private const int MinSerialPrefix = 8;

    private int Run(ParseResult result, CliContext context)
    {
        var reason = CertificateAuthority.ParseReason(result.GetValue(_reason)!);
        string serial = result.GetValue(_serial)!.Trim();
        string digits = serial.Replace(":", "");
        if (digits.Length < MinSerialPrefix || !digits.All(char.IsAsciiHexDigit))
        {
            throw new UsageException(serial, $"give the serial in hex, whole or its first "
                + $"{MinSerialPrefix} digits or more, as 'smime ca list' shows it.");
        }

        using CertificateStore store = _store.OpenExisting(result);
        CertificateAuthority ca = CertificateAuthority.Open(store);
        IssuedCertificate revoked = ca.Revoke(serial, reason);
        context.Printed.WriteLine($"revoked {revoked.Serial} {revoked.Subject} ({reason}); "
            + "run 'smime ca crl' to publish.");
        return ExitCodes.Success;
    }
}
