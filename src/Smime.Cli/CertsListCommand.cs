using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>`smime certs list`: the store as a table.</summary>
internal sealed class CertsListCommand
{
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("list",
            "List the store: address, subject, issuer, validity, key, usages, trust.");
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private static readonly (X509KeyUsageFlags Flag, string Name)[] s_usageNames =
    [
        (X509KeyUsageFlags.DigitalSignature, "sign"),
        (X509KeyUsageFlags.NonRepudiation, "nonrep"),
        (X509KeyUsageFlags.KeyEncipherment, "encrypt"),
        (X509KeyUsageFlags.KeyAgreement, "agree"),
        (X509KeyUsageFlags.KeyCertSign, "ca"),
        (X509KeyUsageFlags.CrlSign, "crl"),
    ];

    /// <summary>keyUsage bits and whether an EKU allows mail, as short words; "any" when
    /// neither extension is present.</summary>
    internal static string Usages(StoredCertificate certificate)
    {
        var parts = new List<string>();
        if (certificate.KeyUsage is { } usage)
        {
            parts.AddRange(s_usageNames.Where(u => (usage & u.Flag) != 0).Select(u => u.Name));
        }

        if (certificate.ExtendedKeyUsages is { } ekus)
        {
            parts.Add(ekus.Contains("1.3.6.1.5.5.7.3.4") || ekus.Contains("2.5.29.37.0")
                ? "email"
                : "no-email-eku");
        }

        return parts.Count == 0 ? "any" : string.Join(',', parts);
    }

    private int Run(ParseResult result, CliContext context)
    {
        using CertificateStore store = _store.OpenExisting(result);
        IReadOnlyList<StoredCertificate> all = store.List();
        if (all.Count == 0)
        {
            context.Note($"the store {store.Path} is empty.");
            return ExitCodes.Success;
        }

        string[] header =
            ["THUMBPRINT", "ADDRESS", "SUBJECT", "ISSUER", "VALID", "KEY", "USAGES", "TRUST"];
        List<string[]> rows = [header];
        foreach (StoredCertificate c in all)
        {
            // Escaped before the widths are measured, so the columns stay aligned.
            rows.Add([
                c.Thumbprint[..16],
                c.Addresses.Count == 0 ? "-" : Printable.Escape(string.Join(' ', c.Addresses)),
                Printable.Escape(c.Subject),
                Printable.Escape(c.Issuer),
                $"{c.NotBefore:yyyy-MM-dd}..{c.NotAfter:yyyy-MM-dd}",
                c.KeyDescription + (c.HasPrivateKey ? "+priv" : ""),
                Usages(c),
                c.IsTrustAnchor ? "anchor" : "-",
            ]);
        }

        int[] widths = Enumerable.Range(0, header.Length)
            .Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (string[] row in rows)
        {
            context.Out.WriteLine(string.Join("  ",
                row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])))
                .TrimEnd());
        }

        return ExitCodes.Success;
    }
}
