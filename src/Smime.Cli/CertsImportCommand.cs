using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>`smime certs import`: PEM, DER, .p7c or PKCS#12 (with its key) into the store.</summary>
internal sealed class CertsImportCommand
{
    private readonly Argument<string[]> _files = new("files")
    {
        Arity = ArgumentArity.OneOrMore,
        Description = "Certificate files: PEM, DER, PKCS#7 certs-only (.p7c), PKCS#12.",
    };
    private readonly IdentityOptions _identity = new("(unused)");
    private readonly StoreOptions _store = new();
    private readonly Option<bool> _trust = new("--trust")
    {
        Description = "Trust the imported certificates as anchors.",
    };
    private readonly Option<bool> _keepPkcs12 = new("--keep-pkcs12")
    {
        Description = "Store a PKCS#12's key as the PKCS#12 given, not re-encrypted as PKCS#8.",
    };

    public Command Build(CliContext context)
    {
        var command = new Command("import",
            "Import certificates, and private keys encrypted under --password.")
        {
            _files,
            _trust,
            _keepPkcs12,
            _identity.Password,
            _identity.PasswordFile,
        };
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        string? password = _identity.GetPassword(result);
        using CertificateStore store = _store.Open(result);
        foreach (string file in result.GetValue(_files) ?? [])
        {
            context.CurrentFile = file;
            if (!File.Exists(file))
            {
                throw new UsageException(file, "no such file.");
            }

            byte[] data = File.ReadAllBytes(file);
            CertificateLoader.ThrowIfBlank(data, file);
            IReadOnlyList<StoredCertificate> imported = CertsOnlyMessage.LooksLikeOne(data)
                ? FromMessage(store, data, context)
                : store.Import(data, password, result.GetValue(_keepPkcs12), file);
            foreach (StoredCertificate certificate in imported)
            {
                if (result.GetValue(_trust))
                {
                    store.SetTrusted(certificate.Thumbprint, true);
                }

                context.Printed.WriteLine(
                    $"imported {certificate.Thumbprint[..16]} {certificate.Subject}"
                    + (certificate.HasPrivateKey ? " (with private key)" : "")
                    + (result.GetValue(_trust) ? " (trusted)" : ""));
            }
        }

        return ExitCodes.Success;
    }

    // A certs-only message (RFC 8551 §3.6): its SignedData's certificates, imported together.
    private static IReadOnlyList<StoredCertificate> FromMessage(
        CertificateStore store,
        byte[] data,
        CliContext context)
    {
        X509Certificate2Collection certificates =
            CertsOnlyMessage.Read(new MemoryStream(data), context.CancellationToken);
        return store.Import(
            SignedData.CreateCertificatesOnly(certificates),
            source: context.CurrentFile ?? "input");
    }
}
