using MimeKit;
using MimeKit.Cryptography;

namespace Smime.Bench.MimeKitPeer;

/// <summary>
/// <c>mimekit-peer</c>: MimeKit's own S/MIME (BouncyCastle underneath) doing the jobs that
/// <c>smime</c> does, so bench/run.sh can time the two side by side. Like <c>smime</c>, it
/// signs and encrypts the message's body and keeps the outer headers outside.
/// Exit codes follow <c>smime</c>: 0 success (and every signature valid), 1 the check failed,
/// 2 usage or input error, 3 internal error.
/// </summary>
internal static class Program
{
    private const int Success = 0;
    private const int CheckFailed = 1;
    private const int UsageError = 2;
    private const int InternalError = 3;

    public static int Main(string[] args)
    {
        PeerOptions options;
        try
        {
            options = PeerOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"mimekit-peer: {e.Message}");
            Console.Error.WriteLine(PeerOptions.Usage);
            return UsageError;
        }

        try
        {
            return options.Operation switch
            {
                "sign" => Sign(options),
                "verify" => Verify(options),
                "encrypt" => Encrypt(options),
                "decrypt" => Decrypt(options),
                _ => throw new ArgumentException($"Unknown operation '{options.Operation}'."),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException
            or FileNotFoundException or FormatException)
        {
            Console.Error.WriteLine($"mimekit-peer: {e.Message}");
            return UsageError;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"mimekit-peer: {e}");
            return InternalError;
        }
    }

    private static int Sign(PeerOptions options)
    {
        var chain = PemFiles.ReadCertificates(
            PeerOptions.Require(options.Cert, "--cert", "sign"));
        var key = PemFiles.ReadPrivateKey(PeerOptions.Require(options.Key, "--key", "sign"));
        var output = PeerOptions.Require(options.Output, "OUT", "sign");

        // A persistent parse leaves the body's bytes in the file instead of in memory.
        using var input = File.OpenRead(options.Input);
        var message = MimeMessage.Load(input, persistent: true);
        var body = RequireBody(message, options.Input);

        using var context = new PeerContext(null, null);
        var signer = new CmsSigner(chain, key) { DigestAlgorithm = DigestAlgorithm.Sha256 };
        message.Body = MultipartSigned.Create(context, signer, body);

        WriteMessage(message, output);
        return Success;
    }

    private static int Verify(PeerOptions options)
    {
        var roots = PemFiles.ReadCertificates(
            PeerOptions.Require(options.Trust, "--trust", "verify"));

        using var input = File.OpenRead(options.Input);
        var message = MimeMessage.Load(input, persistent: true);
        if (message.Body is not MultipartSigned signed)
        {
            throw new InvalidDataException(
                $"The body of '{options.Input}' is {message.Body?.ContentType.MimeType}, " +
                "not multipart/signed.");
        }

        // TemporarySecureMimeContext trusts an imported certificate as an anchor when it is
        // self-signed and has keyCertSign in its key usage.
        using var context = new PeerContext(null, null);
        foreach (var root in roots)
        {
            context.Import(root);
        }

        var signatures = signed.Verify(context);
        if (signatures.Count == 0)
        {
            Console.Error.WriteLine("mimekit-peer: verification failed: no signature.");
            return CheckFailed;
        }

        foreach (var signature in signatures)
        {
            var who = signature.SignerCertificate?.Email ?? "(unknown signer)";
            try
            {
                // Verify() checks the signature and the chain to a trusted root.
                if (!signature.Verify())
                {
                    Console.Error.WriteLine($"mimekit-peer: verification failed for {who}.");
                    return CheckFailed;
                }
            }
            catch (DigitalSignatureVerifyException e)
            {
                Console.Error.WriteLine($"mimekit-peer: verification failed for {who}: " +
                    e.Message);
                return CheckFailed;
            }
        }

        if (options.Output is not null)
        {
            using var content = File.Create(options.Output);
            signed[0].WriteTo(CrlfFormat(), content);
        }

        Console.Error.WriteLine($"Verification successful ({signatures.Count} signature(s)).");
        return Success;
    }

    private static int Encrypt(PeerOptions options)
    {
        var recipientPath = options.To ?? PeerOptions.Require(options.Cert, "--to", "encrypt");
        var recipientCertificate = PemFiles.ReadCertificates(recipientPath)[0];
        var output = PeerOptions.Require(options.Output, "OUT", "encrypt");

        using var input = File.OpenRead(options.Input);
        var message = MimeMessage.Load(input, persistent: true);
        var body = RequireBody(message, options.Input);

        // MimeKit has no AES-GCM (AuthEnvelopedData): AES-256-CBC enveloped-data is the
        // closest it comes to smime's default.
        var recipients = new CmsRecipientCollection
        {
            new CmsRecipient(recipientCertificate)
            {
                EncryptionAlgorithms = [EncryptionAlgorithm.Aes256],
            },
        };

        using var context = new PeerContext(null, null);
        message.Body = ApplicationPkcs7Mime.Encrypt(context, recipients, body);

        WriteMessage(message, output);
        Console.Error.WriteLine("mimekit-peer: AES-256-CBC (MimeKit has no AES-GCM).");
        return Success;
    }

    private static int Decrypt(PeerOptions options)
    {
        var certificate = PemFiles.ReadCertificates(
            PeerOptions.Require(options.Cert, "--cert", "decrypt"))[0];
        var key = PemFiles.ReadPrivateKey(
            PeerOptions.Require(options.Key, "--key", "decrypt"));
        var output = PeerOptions.Require(options.Output, "OUT", "decrypt");

        using var input = File.OpenRead(options.Input);
        var message = MimeMessage.Load(input, persistent: true);
        if (message.Body is not ApplicationPkcs7Mime { SecureMimeType: SecureMimeType.EnvelopedData }
            enveloped)
        {
            throw new InvalidDataException(
                $"The body of '{options.Input}' is not application/pkcs7-mime enveloped-data.");
        }

        using var context = new PeerContext(certificate, key);
        MimeEntity plaintext;
        try
        {
            plaintext = enveloped.Decrypt(context);
        }
        catch (Org.BouncyCastle.Cms.CmsException e)
        {
            Console.Error.WriteLine($"mimekit-peer: decryption failed: {e.Message}");
            return CheckFailed;
        }

        message.Body = plaintext;
        WriteMessage(message, output);
        return Success;
    }

    private static MimeEntity RequireBody(MimeMessage message, string path) =>
        message.Body ?? throw new InvalidDataException($"'{path}' has no body.");

    private static void WriteMessage(MimeMessage message, string path)
    {
        using var stream = File.Create(path);
        message.WriteTo(CrlfFormat(), stream);
    }

    private static FormatOptions CrlfFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
