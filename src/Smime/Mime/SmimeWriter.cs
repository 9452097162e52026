using MimeKit;
using Smime.Cms;

namespace Smime.Mime;

/// <summary>Signs and encrypts MIME messages (RFC 8551 §3).</summary>
public static partial class SmimeWriter
{
    // 4 MiB: a 100 MB message in 25 pieces, each encrypted while the one before is written.
    private const int CbcPieceLength = 4 << 20;

    /// <summary>
    /// Signs the message read from <paramref name="input"/> and writes the signed message.
    /// Headers other than Content-* stay on the outer message; the signed entity is
    /// canonicalised (CRLF, 7-bit transfer encodings). Clear signing streams.
    /// </summary>
    /// <exception cref="FormatException">The input is not a MIME message.</exception>
    public static void Sign(
        Stream input,
        Stream output,
        SignOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        CheckSigners(options);

        MimeMessage message = Parse(input, cancellationToken);
        MimeEntity body = message.Body
            ?? throw new FormatException("The message has no body to sign.");
        Canonicalizer.Canonicalize(body, cancellationToken);

        MimeFraming.WriteOuterHeaders(message, output, keepMimeVersion: false, cancellationToken);
        WriteSignedEntity(body, output, options, cancellationToken);
        output.Flush();
    }

    /// <summary>Encrypts (after signing, when asked) the message read from the input.</summary>
    /// <exception cref="FormatException">The input is not a MIME message.</exception>
    public static void Encrypt(
        Stream input,
        Stream output,
        EncryptOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Recipients.Count == 0)
        {
            throw new ArgumentException(
                "At least one recipient is needed to encrypt.", nameof(options));
        }

        if (options.SignFirst is not null)
        {
            CheckSigners(options.SignFirst);
        }

        MimeMessage message = Parse(input, cancellationToken);
        MimeEntity body = message.Body
            ?? throw new FormatException("The message has no body to encrypt.");
        Canonicalizer.Canonicalize(body, cancellationToken);

        // RFC 8551 §3.3: the canonical entity (signed first, when asked) is the content. It
        // is written into one array, encrypted there and base64-encoded from there: the
        // message is held once, never as a whole DER or a whole base64 text beside it.
        var content = new ContentBuffer(CapacityFor(input), EnvelopedContent.InPlacePaddingRoom);
        if (options.SignFirst is not null)
        {
            WriteSignedEntity(body, content, options.SignFirst, cancellationToken);
        }
        else
        {
            CanonicalWriter.Write(body, content, cancellationToken);
        }

        if (options.CompressFirst)
        {
            // RFC 8551 §3.7: the compressed-data part is what gets encrypted.
            var compressed = new ContentBuffer(
                content.Length / 2, EnvelopedContent.InPlacePaddingRoom);
            CompressedLayer.Write(content.Buffer.AsSpan(0, (int)content.Length), compressed);
            content = compressed;
        }

        // CBC is encrypted on another thread a piece at a time while this one base64-encodes
        // and writes the pieces already done.
        EncryptedInPlace encrypted = EnvelopedContent.EncryptInPlace(
            content.Buffer,
            (int)content.Length,
            options.Recipients,
            options.Algorithm,
            cbcPieceLength: CbcPieceLength);

        // RFC 8551 §3.3, RFC 5083: AEAD content is authEnveloped-data, CBC enveloped-data.
        string smimeType = encrypted.IsAuthenticated ? "authEnveloped-data" : "enveloped-data";
        MimeFraming.WriteOuterHeaders(message, output, keepMimeVersion: false, cancellationToken);
        WritePkcs7MimeHeaders(output, smimeType);
        using (var lines = new Base64LineWriter(output))
        {
            lines.Write(encrypted.Header);
            encrypted.WriteCiphertext(piece =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                lines.Write(piece);
            });
            lines.Write(encrypted.Trailer);
            lines.Finish();
        }

        output.Flush();
    }

    /// <summary>Writes the signed entity (its Content-* headers and body) for the options.</summary>
    internal static void WriteSignedEntity(
        MimeEntity entity,
        Stream output,
        SignOptions options,
        CancellationToken cancellationToken)
    {
        if (options.CompressFirst)
        {
            entity = CompressedLayer.Wrap(entity, cancellationToken);
        }

        if (options.Opaque)
        {
            WriteOpaqueSigned(entity, output, options.Signers, cancellationToken);
        }
        else
        {
            WriteClearSigned(entity, output, options.Signers, cancellationToken);
        }
    }

    private static void WriteClearSigned(
        MimeEntity entity,
        Stream output,
        IReadOnlyList<CmsSigner> signers,
        CancellationToken cancellationToken)
    {
        // RFC 8551 §3.5.3, RFC 1847 §2.1.
        string boundary = MimeFraming.NewBoundary();
        string micalg = MimeFraming.MicAlg(signers.Select(s => s.DigestAlgorithm));
        MimeFraming.WriteAscii(output,
            "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n"
            + $"\tmicalg={micalg}; boundary=\"{boundary}\"\r\n"
            + "\r\n"
            + "This is an S/MIME signed message.\r\n"
            + $"\r\n--{boundary}\r\n");

        // The entity is written once, and the very bytes written are hashed: the CRLF before
        // the next boundary belongs to the boundary, not to the signed content.
        byte[] signature;
        var digests = new DigestingStream(
            signers.Select(s => s.DigestAlgorithm).Distinct(), new KeepOpenStream(output));
        using (digests)
        {
            CanonicalWriter.Write(entity, digests, cancellationToken);
            digests.Flush();
            signature = SignedData.CreateDetached(signers, digests);
        }

        MimeFraming.WriteAscii(output,
            $"\r\n--{boundary}\r\n"
            + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=smime.p7s\r\n"
            + "\r\n");
        MimeFraming.WriteBase64Lines(output, signature);
        MimeFraming.WriteAscii(output, $"\r\n--{boundary}--\r\n");
    }

    private static void WriteOpaqueSigned(
        MimeEntity entity,
        Stream output,
        IReadOnlyList<CmsSigner> signers,
        CancellationToken cancellationToken)
    {
        // RFC 8551 §3.5.2: the canonical entity is the encapsulated content.
        byte[] signedData;
        using (var content = new MemoryStream())
        {
            CanonicalWriter.Write(entity, content, cancellationToken);
            signedData = SignedData.CreateEncapsulated(
                signers, content.GetBuffer().AsSpan(0, (int)content.Length));
        }

        WritePkcs7Mime(output, "signed-data", signedData);
    }

    private static void WritePkcs7Mime(Stream output, string smimeType, byte[] contentInfo)
    {
        WritePkcs7MimeHeaders(output, smimeType);
        MimeFraming.WriteBase64Lines(output, contentInfo);
    }

    private static void WritePkcs7MimeHeaders(Stream output, string smimeType)
    {
        // RFC 8551 §3.2.1, §3.2.2.
        MimeFraming.WriteAscii(output,
            $"Content-Type: application/pkcs7-mime; smime-type={smimeType}; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=smime.p7m\r\n"
            + "\r\n");
    }

    // The canonical entity is about as long as the input: sized once, it is not regrown
    // (and copied) on the way to 100 MB. Pages past the content are never touched.
    private static long CapacityFor(Stream input) =>
        input.CanSeek ? input.Length + (input.Length / 64) + 4096 : 1 << 16;

    private static MimeMessage Parse(Stream input, CancellationToken cancellationToken)
    {
        // A persistent parse of a seekable input leaves large bodies on disk (DESIGN.md); a
        // body of one leaf is not even read through to find its end.
        if (input.CanSeek)
        {
            return ParsedSource.ParseMessage(input, cancellationToken).Message!;
        }

        var parser = new MimeParser(
            new HeaderLimitStream(input), MimeFormat.Default, persistent: false);
        ParseGuard.Attach(parser);
        try
        {
            return parser.ParseMessage(cancellationToken);
        }
        catch (FormatException e) when (e.Source == "MimeKit")
        {
            throw new FormatException($"The input is not a MIME message: {e.Message}", e);
        }
    }

    private static void CheckSigners(SignOptions options)
    {
        if (options.Signers.Count == 0)
        {
            throw new ArgumentException("At least one signer is needed to sign.", nameof(options));
        }

        if (options.Signers.Count > CmsLimits.MaxSigners)
        {
            throw new ArgumentException(
                $"{options.Signers.Count} signers exceed the limit of {CmsLimits.MaxSigners}.",
                nameof(options));
        }
    }
}
