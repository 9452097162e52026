using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>`smime decrypt`: opens the encrypted layer of a message; checks no signature.</summary>
internal sealed class DecryptCommand
{
    private readonly Argument<string?> _input = CommonOptions.Input();
    private readonly Option<string?> _output = CommonOptions.Output(
        "Write the decrypted message to FILE; stdout when absent.");
    private readonly IdentityOptions _identity = new(
        "Your certificate: a PKCS#12, or PEM/DER (with --key, or the key in the same PEM); "
        + "without it, your keys in the store.");
    private readonly StoreOptions _store = new();

    public Command Build(CliContext context)
    {
        var command = new Command("decrypt", "Decrypt a message encrypted to you.")
        {
            _input,
            _output,
        };
        _identity.AddTo(command);
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        var keys = new List<X509Certificate2>();
        var curveKeys = new List<CertificateKey>();
        if (_identity.HasCertificate(result))
        {
            LoadedIdentity identity = _identity.LoadIdentityOrKey(result, "decrypt");
            keys.AddRange(IdentityKeys.Attached(identity));
            curveKeys.AddRange(IdentityKeys.Raw(identity));
        }
        else
        {
            LoadStoreKeys(result, keys, curveKeys, context);
        }

        try
        {
            return Decrypt(result, context, new ReadOptions
            {
                DecryptionKeys = keys,
                DecryptionRawKeys = curveKeys,
                DecryptOnly = true,
            });
        }
        finally
        {
            curveKeys.ForEach(k => k.Dispose());
        }
    }

    // Without --cert, every key the store holds that the passphrase opens; the RecipientInfos
    // then pick theirs. A key under another passphrase is passed over, not an error.
    private void LoadStoreKeys(
        ParseResult result,
        List<X509Certificate2> keys,
        List<CertificateKey> curveKeys,
        CliContext context)
    {
        using CertificateStore store = _store.OpenIfExists(result)
            ?? throw new UsageException("--cert", "decrypt needs --cert with your certificate.");
        List<StoredCertificate> owned = store.List().Where(c => c.HasPrivateKey).ToList();
        if (owned.Count == 0)
        {
            throw new UsageException("--cert",
                "decrypt needs --cert with your certificate: the store holds no private key.");
        }

        string password = _identity.GetPassword(result)
            ?? throw new UsageException("--password",
                "the store's keys are encrypted; give --password or --password-file.");
        if (StoreKeys.Load(store, password, keys, curveKeys, context) == 0)
        {
            throw new UsageException("--password", "opens none of the store's private keys.");
        }
    }

    private int Decrypt(ParseResult result, CliContext context, ReadOptions options)
    {
        using InputFile input = InputFile.Open(result.GetValue(_input), context);
        using OutputFile output = OutputFile.Create(result.GetValue(_output), input, context);

        ReadResult read = SmimeReader.Read(
            input.Stream, options, output.Stream, context.CancellationToken);
        if (!read.Layers.Any(l => l.Kind is LayerKind.EnvelopedData or LayerKind.AuthEnvelopedData))
        {
            throw new UsageException(input.Name, "is not an encrypted message.");
        }

        foreach (Layer layer in read.Layers)
        {
            context.Detail($"{layer.Kind}: {layer.Description}");
        }

        // EnvelopedData (CBC) has no integrity check: a changed ciphertext decrypts to changed
        // text, and only a signature inside would tell (RFC 8551 §2.7, RFC 5083 §1).
        if (read.Layers.FirstOrDefault(l => l.Kind == LayerKind.EnvelopedData) is { } plain
            && !read.Verdict.IsValid)
        {
            context.Note($"warning: {input.Name} is enveloped-data ({plain.Description}), which "
                + "has no integrity check, and no valid signature covers it: it may have been "
                + "altered on the way.");
        }

        output.Commit();
        return ExitCodes.Success;
    }
}
