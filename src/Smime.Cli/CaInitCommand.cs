using System.CommandLine;
using Smime.Authority;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>
/// `smime ca init`: a self-signed root, optionally an intermediate, keys encrypted.
/// </summary>
internal sealed class CaInitCommand
{
    private readonly Option<string> _name = new("--name")
    {
        Description = "The root's distinguished name, e.g. \"CN=Example Root, O=Example\".",
        HelpName = "DN",
        Required = true,
    };
    private readonly Option<string> _keyType = AuthorityOptions.KeyType("p256");
    private readonly Option<int> _years = new("--years")
    {
        Description = "The root's lifetime in years (an intermediate gets half).",
        DefaultValueFactory = _ => 10,
    };
    private readonly Option<bool> _intermediate = new("--intermediate")
    {
        Description = "Also make an intermediate that does the issuing.",
    };
    private readonly Option<string?> _intermediateName = new("--intermediate-name")
    {
        Description = "The intermediate's name; the root's with \" Issuing CA\" by default.",
        HelpName = "DN",
    };
    private readonly Option<string?> _crlUrl = new("--crl-url")
    {
        Description = "An http URL written as CRL distribution point into what is issued.",
        HelpName = "URL",
    };
    private readonly Option<string?> _ocspUrl = new("--ocsp-url")
    {
        Description = "An http URL written as OCSP responder (authorityInfoAccess) into what "
            + "is issued; 'smime ca serve' answers there.",
        HelpName = "URL",
    };
    private readonly Option<string?> _output = CommonOptions.Output(
        "Write the CA certificates (PEM, issuer first) to FILE; stdout when absent.");
    private readonly IdentityOptions _identity = new("(unused)");
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("init", "Make the CA's root (and intermediate).")
        {
            _name,
            _keyType,
            _years,
            _intermediate,
            _intermediateName,
            _crlUrl,
            _ocspUrl,
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
        KeyType type = AuthorityOptions.ParseKeyType(result.GetValue(_keyType)!);
        string password = AuthorityOptions.RequirePassword(
            _identity, result, "the CA's keys are stored encrypted");
        using CertificateStore store = _store.Open(result);
        var options = new CertificateAuthorityOptions
        {
            Name = result.GetValue(_name)!,
            KeyType = type,
            Years = result.GetValue(_years),
            Intermediate = result.GetValue(_intermediate),
            IntermediateName = result.GetValue(_intermediateName),
            CrlUrl = result.GetValue(_crlUrl),
            OcspUrl = result.GetValue(_ocspUrl),
        };
        CertificateAuthority ca = CertificateAuthority.Initialize(store, options, password);

        string pem = AuthorityOptions.CertificatePem(ca.Issuer);
        if (ca.Record.IssuerThumbprint != ca.Record.RootThumbprint)
        {
            pem += AuthorityOptions.CertificatePem(ca.Root);
        }

        AuthorityOptions.WriteText(result.GetValue(_output), pem, context);
        context.Detail($"CA '{ca.Issuer.Subject}' made; root trusted in {store.Path}.");
        return ExitCodes.Success;
    }
}
