using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>`smime sign`: signs a MIME message, clear (multipart/signed) or opaque.</summary>
internal sealed class SignCommand
{
    private readonly Argument<string?> _input = CommonOptions.Input();
    private readonly Option<string?> _output = CommonOptions.Output(
        "Write the signed message to FILE; stdout when absent.");
    private readonly IdentityOptions _identity = new(
        "Your certificate: a PKCS#12, or PEM/DER (with --key, or the key in the same PEM).");
    private readonly Option<bool> _opaque = new("--opaque")
    {
        Description = "Opaque application/pkcs7-mime signed-data instead of multipart/signed.",
    };
    private readonly Option<string> _digest = CommonOptions.Digest();
    private readonly Option<bool> _pss = CommonOptions.Pss();
    private readonly Option<bool> _compress = CompressCommand.CompressOption();
    private readonly Option<string?> _from = new("--from")
    {
        Description = "Sign with the store's certificate for ADDRESS (default: the From "
            + "address) when no --cert is given; --password opens its key.",
        HelpName = "ADDRESS",
    };
    private readonly Option<string?> _encryptionCert = new("--encryption-cert")
    {
        Description = "Your encryption certificate, when it is not the signing one: announced "
            + "in SMIMEEncryptionKeyPreference (RFC 8551 §2.5.3) so others encrypt to it.",
        HelpName = "FILE",
    };
    private readonly StoreOptions _store = new();
    private readonly Option<string[]> _chain = new("--chain")
    {
        Description = "Further certificates (intermediates) to include; may be repeated. "
            + "Issuers the store holds go along without it.",
        HelpName = "FILE",
    };

    public Command Build(CliContext context)
    {
        var command = new Command("sign", "Sign a MIME message (RFC 8551 §3.5).")
        {
            _input,
            _output,
            _opaque,
            _digest,
            _pss,
            _chain,
            _compress,
            _from,
            _encryptionCert,
        };
        _identity.AddTo(command);
        _store.AddTo(command, revocation: false);
        command.SetAction(result => Cli.Execute(context, () => Run(result, context)));
        return command;
    }

    private int Run(ParseResult result, CliContext context)
    {
        using InputFile input = InputFile.Open(result.GetValue(_input), context);
        CmsSigner signer = _identity.HasCertificate(result)
            ? _identity.CreateSigner(result, "sign", _digest, _pss, _chain, _store)
            : StoreSigner.Create(
                result, input, "sign", _from, _store, _identity, _digest, _pss, _chain, context);
        if (result.GetValue(_encryptionCert) is { } encryptionFile)
        {
            signer.EncryptionCertificate = EncryptionCertificate(encryptionFile);
        }

        using OutputFile output = OutputFile.Create(result.GetValue(_output), input, context);

        var options = new SignOptions
        {
            Signers = [signer],
            Opaque = result.GetValue(_opaque),
            CompressFirst = result.GetValue(_compress),
        };
        SmimeWriter.Sign(input.Stream, output.Stream, options, context.CancellationToken);
        context.Detail(
            $"signed {input.Name} as {signer.Certificate.Subject} "
            + $"({signer.DigestAlgorithm.Name}{(signer.UsePss ? ", PSS" : string.Empty)}).");

        output.Commit();
        return ExitCodes.Success;
    }

    private static X509Certificate2 EncryptionCertificate(string file)
    {
        // The file's first end-entity certificate; CA certificates beside it are skipped.
        foreach (X509Certificate2 certificate in CertificateLoader.LoadCertificates(file))
        {
            bool isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>()
                .Any(b => b.CertificateAuthority);
            if (!isCa)
            {
                return certificate;
            }
        }

        throw new UsageException(file, "holds no end-entity certificate to encrypt to.");
    }
}
