using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>
/// `smime key import-cert`: pairs issued certificates with the keys waiting for them, or with
/// a key already paired (a second certificate, for another usage, of the same key).
/// </summary>
internal sealed class KeyImportCertCommand
{
    private readonly Argument<string[]> _files = new("certificates")
    {
        Arity = ArgumentArity.OneOrMore,
        Description = "Issued certificates, PEM or DER (a chain may follow in the PEM).",
    };
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("import-cert",
            "Store an issued certificate with the key 'smime key new' made for it (waiting, or "
            + "already paired with another certificate of the same key).")
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

            X509Certificate2Collection certificates = CertificateLoader.LoadCertificates(file);
            X509Certificate2 leaf = certificates.FirstOrDefault()
                ?? throw new UsageException(file, "holds no certificate.");
            StoredCertificate paired;
            try
            {
                paired = store.PairWithKey(leaf);
            }
            catch (CertificateStoreException e)
            {
                throw new UsageException(file, e.Message);
            }


            // The rest of a PEM chain is stored too, so path building finds the issuers.
            foreach (X509Certificate2 issuer in certificates.Skip(1))
            {
                store.Add(issuer);
            }

            context.Printed.WriteLine($"paired {paired.Thumbprint[..16]} {paired.Subject}");
        }

        return ExitCodes.Success;
    }
}
