using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
    private const string Ed25519Name = "ed25519";

    private readonly Option<string> _keyType = KeyTypes();
    private readonly Option<string?> _output =
        CommonOptions.Output("Write the CSR to FILE; stdout when absent.");
    private readonly IdentityOptions _identity = new("(unused)");
    private readonly StoreOptions _store = new();

    // The CA's key types and Ed25519, which only a subscriber's key may be (it signs only).
    private static Option<string> KeyTypes()
    {
        Option<string> option = AuthorityOptions.KeyType("rsa3072");
        option.Description = $"{string.Join(", ", KeyPairs.Names)}, {Ed25519Name} "
            + "(default rsa3072).";
        return option;
    }

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

        string typeName = result.GetValue(_keyType)!;
        bool ed25519 = typeName.Trim().Equals(Ed25519Name, StringComparison.OrdinalIgnoreCase);
        KeyType type = ed25519 ? default : AuthorityOptions.ParseKeyType(typeName);
        string password = AuthorityOptions.RequirePassword(
            _identity, result, "the new private key is stored encrypted");

        using CertificateStore store = _store.Open(result);
        if (ed25519)
        {
            return RunEd25519(result, context, store, email, password);
        }

        using AsymmetricAlgorithm key = KeyPairs.Create(type);
        string csr = SigningRequests.Create(
            key, email, result.GetValue(_name), result.GetValue(_org));
        string subject = CertificateRequestSubject(csr);

        // The key is stored before the CSR is written: a CSR whose key was lost is useless.
        store.AddPendingKey(key, email, subject, password);
        AuthorityOptions.WriteText(result.GetValue(_output), csr + "\n", context);
        context.Note($"key {type} for {email} stored in {store.Path}; the CSR waits for its "
            + "certificate (smime key import-cert).");
        return ExitCodes.Success;
    }

    // Ed25519 (RFC 8410) is made apart: .NET has no key object for it, so the library makes
    // the key and CSR with BouncyCastle and hands back PKCS#8, which the store encrypts as it
    // does the keys of Ed25519 identities. The key never reaches the disk unencrypted.
    private int RunEd25519(
        ParseResult result,
        CliContext context,
        CertificateStore store,
        string email,
        string password)
    {
        (string csr, byte[] pkcs8) = SigningRequests.CreateEd25519(
            email, result.GetValue(_name), result.GetValue(_org));
        try
        {
            CertificateRequest request = Unchecked(csr);
            store.AddPendingKey(pkcs8, request.PublicKey.ExportSubjectPublicKeyInfo(), email,
                request.SubjectName.Name, password);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        AuthorityOptions.WriteText(result.GetValue(_output), csr + "\n", context);
        context.Note($"key Ed25519 for {email} stored in {store.Path}; the CSR waits for its "
            + "certificate (smime key import-cert).");
        return ExitCodes.Success;
    }

    private static string CertificateRequestSubject(string pem) => Unchecked(pem).SubjectName.Name;

    // The CSR was made here a moment ago; only its names are read, so its signature (which
    // .NET cannot check for Ed25519) is not.
    private static CertificateRequest Unchecked(string pem) =>
        CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256,
            CertificateRequestLoadOptions.SkipSignatureValidation);
}
