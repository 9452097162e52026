using System.CommandLine;
using System.Security.Cryptography;
using Smime.Authority;
using Smime.Certificates;

namespace Smime.Cli;

/// <summary>
/// `smime key new`: a key pair made on this machine, kept encrypted in the store until its
/// certificate comes back, and a PKCS#10 CSR to send to a CA.
/// </summary>
internal sealed class KeyNewCommand
{
    private readonly Option<string> _email = new("--email")
    {
        Description = "The mailbox address (rfc822Name in subjectAltName).",
        HelpName = "ADDRESS",
        Required = true,
    };
    private readonly Option<string?> _name = new("--name")
    {
        Description = "The subject's name (CN); the address when absent.",
        HelpName = "NAME",
    };
    private readonly Option<string?> _org = new("--org")
    {
        Description = "The organisation (O).",
        HelpName = "ORG",
    };
    private readonly Option<string> _keyType = AuthorityOptions.KeyType("rsa3072");
    private readonly Option<string?> _output =
        CommonOptions.Output("Write the CSR to FILE; stdout when absent.");
    private readonly IdentityOptions _identity = new("(unused)");
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("new",
            "Make a key pair (stored encrypted under --password) and print its CSR.")
        {
            _email,
            _name,
            _org,
            _keyType,
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
        string email = result.GetValue(_email)!.Trim();
        int at = email.IndexOf('@');
        if (at <= 0 || at == email.Length - 1 || at != email.LastIndexOf('@')
            || email.Any(c => c is <= ' ' or >= (char)0x7F))
        {
            throw new UsageException("--email", $"'{email}' is not a mailbox address.");
        }

        KeyType type = AuthorityOptions.ParseKeyType(result.GetValue(_keyType)!);
        string password = AuthorityOptions.RequirePassword(
            _identity, result, "the new private key is stored encrypted");

        using CertificateStore store = _store.Open(result);
        using AsymmetricAlgorithm key = KeyPairs.Create(type);
        string csr = SigningRequests.Create(
            key, email, result.GetValue(_name), result.GetValue(_org));
        string subject = CertificateRequestSubject(csr);

        // The key is stored before the CSR is written: a CSR whose key was lost is useless.
        store.AddPendingKey(key, email, subject, password);
        AuthorityOptions.WriteText(result.GetValue(_output), csr + "\n", context);
        context.Detail($"key {type} for {email} stored; waiting for its certificate.");
        return ExitCodes.Success;
    }

    private static string CertificateRequestSubject(string pem) =>
        System.Security.Cryptography.X509Certificates.CertificateRequest
            .LoadSigningRequestPem(pem, HashAlgorithmName.SHA256).SubjectName.Name;
}
