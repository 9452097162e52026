using System.CommandLine;
using Smime.Authority;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>
/// `smime ca crl`: signs a CRL of every revoked serial, caches it in the store; with --root,
/// the root's CRL about the intermediate.
/// </summary>
internal sealed class CaCrlCommand
{
    private readonly Option<int?> _days = new("--days")
    {
        Description = $"Days until nextUpdate: 1 to {CertificateAuthority.MaxCrlDays} "
            + $"(default {CertificateAuthority.DefaultCrlDays}); with --root 1 to "
            + $"{CertificateAuthority.MaxRootCrlDays} "
            + $"(default {CertificateAuthority.DefaultRootCrlDays}).",
    };
    private readonly Option<bool> _root = new("--root")
    {
        Description = "Sign the root's CRL (about the intermediate) instead of the issuing "
            + $"CA's; published as {CertificateAuthority.RootCrlFileName} beside the CRL URL.",
    };
    private readonly Option<bool> _der = new("--der")
    {
        Description = "Write DER instead of PEM.",
    };
    private readonly Option<string?> _output = CommonOptions.Output(
        "Write the CRL to FILE; stdout when absent.");
    private readonly IdentityOptions _identity = new("(unused)");
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("crl", "Sign and publish a CRL.")
        {
            _days,
            _root,
            _der,
            _output,
            _identity.Password,
            _identity.PasswordFile,
        };
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        string password = AuthorityOptions.RequirePassword(
            _identity, result, "the CA's key is needed to sign");
        using CertificateStore store = _store.OpenExisting(result);
        CertificateAuthority ca = CertificateAuthority.Open(store);
        int? days = result.GetValue(_days);
        byte[] crl = result.GetValue(_root)
            ? ca.CreateRootCrl(password, days ?? CertificateAuthority.DefaultRootCrlDays)
            : ca.CreateCrl(password, days ?? CertificateAuthority.DefaultCrlDays);
        using OutputFile output = OutputFile.Create(result.GetValue(_output), null, context);
        if (result.GetValue(_der))
        {
            output.Stream.Write(crl);
        }
        else
        {
            output.Stream.Write(System.Text.Encoding.ASCII.GetBytes(
                System.Security.Cryptography.PemEncoding.WriteString("X509 CRL", crl) + "\n"));
        }

        output.Commit();
        return ExitCodes.Success;
    }
}
