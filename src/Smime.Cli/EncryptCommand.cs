using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>`smime encrypt`: encrypts a message to its recipients and the sender.</summary>
internal sealed class EncryptCommand
{
    private readonly Argument<string?> _input = CommonOptions.Input();
    private readonly Option<string?> _output = CommonOptions.Output(
        "Write the encrypted message to FILE; stdout when absent.");
    private readonly Option<string[]> _to = new("--to")
    {
        Description = "A recipient's certificate file; repeat for each recipient. Without "
            + "--to, the recipients of To, Cc and Bcc are looked up in the store.",
        HelpName = "CERT",
    };
    private readonly Option<bool> _skipMissing = new("--skip-missing")
    {
        Description = "Without --to: leave out recipients the store has no certificate for.",
    };
    private readonly StoreOptions _store = new();
    private readonly IdentityOptions _identity = new(
        "Your own certificate: the message is encrypted to you too (with --sign: your "
        + "signing identity).");
    private readonly Option<string> _cipher = new("--cipher")
    {
        Description = "The content cipher; GCM and ChaCha20-Poly1305 (RFC 8103) give "
            + "authEnveloped-data (RFC 5083).",
        DefaultValueFactory = _ => "aes256-gcm",
    };
    private readonly Option<bool> _oaep = new("--oaep")
    {
        Description = "Wrap the key with RSAES-OAEP (SHA-256) instead of PKCS#1 v1.5.",
    };
    private readonly Option<bool> _sign = new("--sign")
    {
        Description = "Sign first, then encrypt: with --cert (and --key), else with the "
            + "store's certificate for --from or the From address (--password opens its key).",
    };
    private readonly Option<string?> _from = new("--from")
    {
        Description = "With --sign and no --cert: sign as the store's certificate for ADDRESS "
            + "(default: the From address).",
        HelpName = "ADDRESS",
    };
    private readonly Option<string[]> _chain = new("--chain")
    {
        Description = "With --sign: further certificates (intermediates) to include; may be "
            + "repeated. Issuers the store holds go along without it.",
        HelpName = "FILE",
    };
    private readonly Option<string> _digest = CommonOptions.Digest();
    private readonly Option<bool> _pss = CommonOptions.Pss();
    private readonly Option<bool> _compress = CompressCommand.CompressOption();

    public Command Build(CliContext context)
    {
        _cipher.AcceptOnlyFromAmong(
            "aes256-gcm", "aes128-gcm", "chacha20-poly1305", "aes256-cbc", "aes128-cbc");
        var command = new Command("encrypt", "Encrypt a MIME message (RFC 8551 §3.3).")
        {
            _input,
            _output,
            _to,
            _cipher,
            _oaep,
            _sign,
            _from,
            _chain,
            _digest,
            _pss,
            _compress,
            _skipMissing,
        };
        _identity.AddTo(command);
        _store.AddTo(command, revocation: true);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        KeyTransportPadding padding = result.GetValue(_oaep)
            ? KeyTransportPadding.OaepSha256
            : KeyTransportPadding.Pkcs1;
        var recipients = new List<CmsRecipient>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string[] files = result.GetValue(_to) ?? [];
        foreach (string file in files)
        {
            X509Certificate2Collection certificates = CertificateLoader.LoadCertificates(file);
            foreach (X509Certificate2 certificate in EndEntities(certificates))
            {
                // Checked before anything is read or written, as the store's certificates are.
                if (RecipientLookup.WhyNotEncryptable(certificate, DateTimeOffset.UtcNow) is { } why)
                {
                    context.Note($"{file}: '{certificate.Subject}' cannot be encrypted to: "
                        + $"{why}; nothing was written.");
                    return ExitCodes.CheckFailed;
                }

                AddRecipient(certificate, padding, recipients, seen, context);
            }
        }

        using InputFile input = InputFile.Open(result.GetValue(_input), context);
        ContentEncryptionAlgorithm algorithm = ParseCipher(result.GetValue(_cipher));
        string? ownAddress = null;
        if (files.Length == 0)
        {
            var fromStore = new StoreRecipients(result, _store, context);
            if (!fromStore.Find(input, result.GetValue(_skipMissing), out ownAddress))
            {
                return ExitCodes.CheckFailed;
            }

            foreach (X509Certificate2 certificate in fromStore.Certificates)
            {
                AddRecipient(certificate, padding, recipients, seen, context);
            }

            if (result.GetResult(_cipher) is null or { Implicit: true })
            {
                algorithm = AlgorithmChoice.Choose(fromStore.Capabilities, out string why);
                context.Detail($"cipher {algorithm}: {why}.");
            }
        }

        CmsSigner? signer = null;
        if (result.GetValue(_sign))
        {
            signer = _identity.HasCertificate(result)
                ? _identity.CreateSigner(
                    result, "encrypt --sign", _digest, _pss, _chain, _store)
                : StoreSigner.Create(result, input, "encrypt --sign", _from, _store,
                    _identity, _digest, _pss, _chain, context);

            // A separate encryption certificate (announced by the store's signer) is the one
            // the sender reads their copy with.
            X509Certificate2 own = signer.EncryptionCertificate ?? signer.Certificate;
            if (CanReceive(own))
            {
                AddRecipient(own, padding, recipients, seen, context);
            }
            else
            {
                context.Note("note: your signing key cannot decrypt (Ed25519); "
                    + "you will not be able to read this message.");
            }
        }
        else if (_identity.HasCertificate(result))
        {
            string own = result.GetValue(_identity.Cert)!;
            X509Certificate2Collection certificates =
                CertificateLoader.LoadCertificates(own, _identity.GetPassword(result));
            AddRecipient(EndEntities(certificates).First(), padding, recipients, seen, context);
        }
        else if (ownAddress is null)
        {
            // RFC 8551 §3.3 leaves it to the sender, but mail nobody can read back is a
            // surprise; say so without refusing.
            context.Note("note: no --cert given; you will not be able to read this message.");
        }

        if (recipients.Count == 0)
        {
            throw new UsageException("encrypt", "no recipient is left to encrypt to.");
        }

        using OutputFile output = OutputFile.Create(result.GetValue(_output), input, context);
        var options = new EncryptOptions
        {
            Recipients = recipients,
            Algorithm = algorithm,
            SignFirst = signer is null ? null : new SignOptions { Signers = [signer] },
            CompressFirst = result.GetValue(_compress),
        };
        SmimeWriter.Encrypt(input.Stream, output.Stream, options, context.CancellationToken);
        context.Detail(
            $"encrypted {input.Name} with {options.Algorithm} to {recipients.Count} recipient(s).");

        output.Commit();
        return ExitCodes.Success;
    }

    private static ContentEncryptionAlgorithm ParseCipher(string? name) => name switch
    {
        "aes128-gcm" => ContentEncryptionAlgorithm.Aes128Gcm,
        "chacha20-poly1305" => ContentEncryptionAlgorithm.ChaCha20Poly1305,
        "aes256-cbc" => ContentEncryptionAlgorithm.Aes256Cbc,
        "aes128-cbc" => ContentEncryptionAlgorithm.Aes128Cbc,
        _ => ContentEncryptionAlgorithm.Aes256Gcm,
    };

    /// <summary>A file's end-entity certificates: a chain's CA certificates are no recipients.</summary>
    private static IEnumerable<X509Certificate2> EndEntities(X509Certificate2Collection certificates)
    {
        List<X509Certificate2> leaves = [.. certificates.Where(c => !IsCertificateAuthority(c))];
        return leaves.Count > 0 ? leaves : certificates;
    }

    // Ed25519 (RFC 8410) keys sign only; no RecipientInfo can be made for them.
    private static bool CanReceive(X509Certificate2 certificate) =>
        certificate.PublicKey.Oid.Value is not (Oids.Ed25519 or "1.3.101.113");

    private static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>()
            .Any(b => b.CertificateAuthority);

    private static void AddRecipient(
        X509Certificate2 certificate,
        KeyTransportPadding padding,
        List<CmsRecipient> recipients,
        HashSet<string> seen,
        CliContext context)
    {
        if (seen.Add(certificate.Thumbprint))
        {
            recipients.Add(new CmsRecipient(certificate, padding));
            context.Detail($"recipient: {certificate.Subject}");
        }
    }
}
