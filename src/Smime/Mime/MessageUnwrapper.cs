using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MimeKit;
using Smime.Cms;

namespace Smime.Mime;

/// <summary>
/// Unwraps the S/MIME layers of one message (RFC 8551 §3), keeping what the verdict needs:
/// every signed layer with the digests of its exact signed bytes.
/// </summary>
internal sealed partial class MessageUnwrapper
{
    private readonly ReadOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Layer> _layers = [];
    private readonly List<SignedLayer> _signed = [];
    private readonly List<IDisposable> _keepAlive = [];
    private string? _malformed;

    public MessageUnwrapper(ReadOptions options, CancellationToken cancellationToken)
    {
        _options = options;
        _cancellationToken = cancellationToken;
    }

    private enum Kind
    {
        None,
        ClearSigned,
        Pkcs7Mime,
    }

    /// <summary>Reads the message from a seekable source and builds the result.</summary>
    public ReadResult Run(Stream source, Stream? contentOutput)
    {
        try
        {
            var top = ParsedSource.ParseMessage(source, _cancellationToken);
            MimeMessage message = top.Message!;
            MimeEntity current = message.Body
                ?? throw new FormatException("The message has no body.");

            (MimeEntity innermost, ParsedSource innerSource) = Unwrap(current, top);
            if (!_options.DecryptOnly && _malformed is null && _signed.Count == 0)
            {
                FindSignedParts(innermost, innerSource);
            }

            (IReadOnlyList<string> senders, string? senderProblem) =
                SenderAddresses(message, innermost);
            Verdict verdict = VerdictBuilder.Build(
                _signed, _malformed, senders, senderProblem, _options);

            if (contentOutput is not null)
            {
                MimeFraming.WriteOuterHeaders(
                    message, contentOutput, keepMimeVersion: true, _cancellationToken);
                CanonicalWriter.Write(innermost, contentOutput, _cancellationToken);
                contentOutput.Flush();
            }

            return new ReadResult(_layers.ToArray(), verdict);
        }
        finally
        {
            // No hash goes on reading the input after the reader is done with it.
            foreach (SignedLayer layer in _signed)
            {
                try
                {
                    layer.PendingDigests.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // Thrown where the digests were used; unused, it changes nothing.
                }
            }

            foreach (IDisposable disposable in _keepAlive)
            {
                disposable.Dispose();
            }
        }
    }

    private (MimeEntity Entity, ParsedSource Source) Unwrap(MimeEntity entity, ParsedSource source)
    {
        int depth = 0;
        while (_malformed is null)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (!_options.DecryptOnly
                && (HasAmbiguousFraming(entity) ?? source.FramingProblem) is { } ambiguous)
            {
                _malformed = ambiguous;
                break;
            }

            Kind kind = Classify(entity, out string? smimeType);
            if (kind == Kind.None)
            {
                break;
            }

            bool signed = kind == Kind.ClearSigned
                || string.Equals(smimeType, "signed-data", StringComparison.OrdinalIgnoreCase);
            if (_options.DecryptOnly && signed)
            {
                break;
            }

            depth++;
            if (depth > _options.MaxDepth)
            {
                throw new FormatException(
                    $"The message nests more than {_options.MaxDepth} S/MIME layers; "
                    + $"layer {depth} is refused.");
            }

            (MimeEntity, ParsedSource)? next = kind == Kind.ClearSigned
                ? OpenClearSigned((Multipart)entity, source, wholeMessage: true)
                : OpenPkcs7Mime((MimePart)entity, smimeType, wholeMessage: true);
            if (next is null)
            {
                break;
            }

            (entity, source) = next.Value;
        }

        return (entity, source);
    }

    /// <summary>
    /// A second Content-Type or Content-Transfer-Encoding field outside the signed bytes
    /// (RFC 2045 allows one of each). MimeKit takes the first; a client that takes the last
    /// would show the unsigned preamble as text/plain under our Valid verdict.
    /// </summary>
    private static string? HasAmbiguousFraming(MimeEntity entity)
    {
        foreach (HeaderId id in (ReadOnlySpan<HeaderId>)
            [HeaderId.ContentType, HeaderId.ContentTransferEncoding])
        {
            int count = entity.Headers.Count(h => h.Id == id);
            if (count > 1)
            {
                return $"The {entity.ContentType.MimeType} entity has {count} {id.ToHeaderName()} "
                    + "header fields; readers may disagree on which one counts.";
            }
        }

        return null;
    }

    private static Kind Classify(MimeEntity entity, out string? smimeType)
    {
        smimeType = null;
        ContentType type = entity.ContentType;
        if (entity is Multipart && type.IsMimeType("multipart", "signed"))
        {
            // RFC 8551 §3.5.3; "x-" is the older spelling. Other protocols (PGP) are not ours.
            string? protocol = type.Parameters["protocol"]?.Trim().ToLowerInvariant();
            return protocol is null
                or "application/pkcs7-signature"
                or "application/x-pkcs7-signature"
                ? Kind.ClearSigned
                : Kind.None;
        }

        if (entity is not MimePart)
        {
            return Kind.None;
        }

        if (type.IsMimeType("application", "pkcs7-mime")
            || type.IsMimeType("application", "x-pkcs7-mime"))
        {
            smimeType = type.Parameters["smime-type"]?.Trim();
            return smimeType?.ToLowerInvariant() switch
            {
                null or "" => Kind.Pkcs7Mime,
                "signed-data" or "enveloped-data" or "authenveloped-data" => Kind.Pkcs7Mime,
                "compressed-data" => Kind.Pkcs7Mime,
                _ => Kind.None,
            };
        }

        // Compat: some clients label the body application/octet-stream with a .p7m name
        // (RFC 8551 §3.2.1 notes the file name).
        string? name = (entity as MimePart)?.FileName;
        return type.IsMimeType("application", "octet-stream")
            && name is not null
            && (name.EndsWith(".p7m", StringComparison.OrdinalIgnoreCase)
                || name.EndsWith(".p7z", StringComparison.OrdinalIgnoreCase))
            ? Kind.Pkcs7Mime
            : Kind.None;
    }

    private (MimeEntity, ParsedSource)? OpenClearSigned(
        Multipart multipart,
        ParsedSource source,
        bool wholeMessage)
    {
        // RFC 1847 §2.1: exactly two parts, the content and the signature.
        if (multipart.Count != 2)
        {
            _malformed = $"The multipart/signed has {multipart.Count} parts, not 2.";
            return null;
        }

        MimeEntity content = multipart[0];
        if (multipart[1] is not MimePart signaturePart || !IsSignaturePart(signaturePart))
        {
            _malformed = "The second part of the multipart/signed is "
                + $"{multipart[1].ContentType.MimeType}, not an application/pkcs7-signature.";
            return null;
        }

        if (!HasClosingBoundary(multipart, signaturePart, source))
        {
            _malformed = "The multipart/signed has no closing boundary.";
            return null;
        }

        SignedData? data = DecodeSignedData(signaturePart, "the signature part smime.p7s");
        if (data is null)
        {
            return null;
        }

        if (data.Content is not null)
        {
            _malformed =
                "The detached signature of the multipart/signed carries content of its own.";
            return null;
        }

        if (!SignsMime(data, "the signature part smime.p7s"))
        {
            return null;
        }

        // The bytes are hashed beside what follows (the chain checks need no digest); the
        // verdict waits for the digests before it checks a signature.
        (long begin, long end) = source.Offsets(content);
        Task<EntityDigests> digests = RawEntityReader.HashSoon(
            source.Stream, begin, end, data.DigestAlgorithms, _cancellationToken);
        string part = $"the multipart/signed part over {content.ContentType.MimeType}";
        _signed.Add(new SignedLayer(data, digests, part, wholeMessage));
        _layers.Add(new Layer(LayerKind.ClearSigned, DescribeSigners(data)));
        return (content, source);
    }

    private (MimeEntity, ParsedSource)? OpenPkcs7Mime(
        MimePart part,
        string? smimeType,
        bool wholeMessage)
    {
        ReadOnlyMemory<byte> encoded = Decode(part);
        string? type = smimeType?.ToLowerInvariant();
        if (IsCompressed(part, type))
        {
            return Decompress(encoded);
        }

        // RFC 8551 §3.2.2: without smime-type, the ContentInfo's own type decides. Mime stays
        // out of ASN.1: a SignedData that decodes is signed, anything else goes to Decrypt.
        SignedData? data = null;
        if (type is "signed-data" or null or "")
        {
            data = type == "signed-data"
                ? DecodeSignedData(encoded, "the application/pkcs7-mime signed-data part")
                : TryDecodeSignedData(encoded);
            if (data is null && type == "signed-data")
            {
                return null;
            }
        }

        if (data is not null)
        {
            if (_options.DecryptOnly)
            {
                return null;
            }

            if (data.Content is not { } content)
            {
                _malformed = "The application/pkcs7-mime signed-data has no encapsulated content.";
                return null;
            }

            if (!SignsMime(data, "the application/pkcs7-mime signed-data part"))
            {
                return null;
            }

            EntityDigests digests = RawEntityReader.Hash(content.Span, data.DigestAlgorithms);
            _signed.Add(new SignedLayer(
                data, digests, "the application/pkcs7-mime signed-data part", wholeMessage));
            _layers.Add(new Layer(LayerKind.OpaqueSigned, DescribeSigners(data)));
            return ParseInner(MemoryMarshal.TryGetArray(content, out ArraySegment<byte> segment)
                ? segment
                : content.ToArray());
        }

        DecryptedInPlace decrypted = Decrypt(encoded, type);
        _layers.Add(new Layer(
            decrypted.IsAuthenticated ? LayerKind.AuthEnvelopedData : LayerKind.EnvelopedData,
            $"{decrypted.Algorithm} for '{decrypted.Recipient.Subject}'"));
        return ParseInner(decrypted.Content);
    }

    private DecryptedInPlace Decrypt(ReadOnlyMemory<byte> encoded, string? smimeType)
    {
        try
        {
            // The decoded body is this reader's own array (Decode): the plaintext is decrypted
            // over it and parsed from it, so the message is held once, not two or three times.
            return EnvelopedContent.DecryptInPlace(
                MemoryMarshal.AsMemory(encoded),
                _options.DecryptionKeys,
                _options.DecryptionRawKeys);
        }
        catch (CryptographicException e) when (e is not CmsDecryptionException)
        {
            string what = string.IsNullOrEmpty(smimeType) ? "application/pkcs7-mime" : smimeType;
            throw new FormatException(
                $"The {what} part is not a well-formed CMS structure: {e.Message}", e);
        }
    }

    private void FindSignedParts(MimeEntity root, ParsedSource source)
    {
        // RFC 8551 §3.1: a signature covers only its own part; a signed part beside unsigned
        // ones (as in a multipart/mixed) does not sign the message.
        if (root is not Multipart container)
        {
            return;
        }

        var stack = new Stack<Multipart>();
        stack.Push(container);
        while (stack.Count > 0 && _malformed is null)
        {
            foreach (MimeEntity child in stack.Pop())
            {
                if (_signed.Count >= SmimeLimits.MaxSignedParts)
                {
                    _malformed = $"The message has more than {SmimeLimits.MaxSignedParts} "
                        + "signed parts.";
                    return;
                }

                Kind kind = Classify(child, out string? smimeType);
                if (kind == Kind.ClearSigned)
                {
                    OpenClearSigned((Multipart)child, source, wholeMessage: false);
                }
                else if (kind == Kind.Pkcs7Mime && smimeType?.ToLowerInvariant() == "signed-data")
                {
                    OpenPkcs7Mime((MimePart)child, smimeType, wholeMessage: false);
                }
                else if (child is Multipart nested)
                {
                    stack.Push(nested);
                }
            }
        }
    }

    private (MimeEntity, ParsedSource) ParseInner(ArraySegment<byte> content)
    {
        // The plaintext or encapsulated content is parsed in place, not copied.
        var stream = new MemoryStream(
            content.Array!, content.Offset, content.Count, writable: false);
        _keepAlive.Add(stream);
        ParsedSource inner = ParsedSource.ParseEntity(stream, _cancellationToken);
        return (inner.Entity, inner);
    }

    /// <summary>
    /// RFC 8551 §2.4.1: S/MIME signs a MIME entity, typed id-data. A signature over another
    /// type (a time-stamp token's TSTInfo, a receipt) says nothing about a mail.
    /// </summary>
    private bool SignsMime(SignedData data, string name)
    {
        if (data.ContentType == Oids.Data)
        {
            return true;
        }

        _malformed = $"The SignedData in {name} signs content of type {data.ContentType}, "
            + $"not a MIME entity (id-data, {Oids.Data}).";
        return false;
    }

    private SignedData? DecodeSignedData(MimePart part, string name) =>
        DecodeSignedData(Decode(part), name);

    private SignedData? DecodeSignedData(ReadOnlyMemory<byte> encoded, string name)
    {
        try
        {
            return SignedData.Decode(encoded);
        }
        catch (CryptographicException e)
        {
            _malformed = $"The SignedData in {name} could not be decoded: {e.Message}";
            return null;
        }
    }

    private static SignedData? TryDecodeSignedData(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            return SignedData.Decode(encoded);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The part's body decoded into a new array of this reader's own.</summary>
    private ReadOnlyMemory<byte> Decode(MimePart part)
    {
        if (Base64Body.TryDecode(part, _cancellationToken) is { } fast)
        {
            return fast;
        }

        using var decoded = new MemoryStream();
        part.Content?.DecodeTo(decoded, _cancellationToken);
        return decoded.GetBuffer().AsMemory(0, (int)decoded.Length);
    }

    private static bool IsSignaturePart(MimePart part)
    {
        ContentType type = part.ContentType;
        if (type.IsMimeType("application", "pkcs7-signature")
            || type.IsMimeType("application", "x-pkcs7-signature"))
        {
            return true;
        }

        // Compat: some clients send the signature as application/octet-stream smime.p7s.
        return type.IsMimeType("application", "octet-stream")
            && part.FileName is { } name
            && name.EndsWith(".p7s", StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasClosingBoundary(
        Multipart multipart,
        MimePart signaturePart,
        ParsedSource source)
    {
        // RFC 2046 §5.1.1: the close-delimiter follows the last part's CRLF.
        string? boundary = multipart.Boundary;
        if (string.IsNullOrEmpty(boundary))
        {
            return false;
        }

        (_, long end) = source.Offsets(signaturePart);
        return RawEntityReader.StartsWith(source.Stream, end, $"\r\n--{boundary}--")
            || RawEntityReader.StartsWith(source.Stream, end, $"\n--{boundary}--");
    }

    private static string DescribeSigners(SignedData data)
    {
        if (data.SignerInfos.Count == 0)
        {
            return "no signers";
        }

        return "signed by " + string.Join(", ",
            data.SignerInfos.Select(s => VerdictBuilder.NameSigner(s, data.Certificates)));
    }

    /// <summary>
    /// The From addresses: every one must be in a signer's certificate (RFC 8550 §3). Sender
    /// is not enough on its own: it is as unsigned as From, so a changed From beside a Sender
    /// that names the signer would otherwise pass as the signer's own mail.
    /// </summary>
    /// <remarks>
    /// A signed message/rfc822 (RFC 8551 §3.1, header protection) brings its own From, which
    /// a client may show instead of the outer one: those addresses must match too. Each From
    /// and Sender field must parse strictly (<see cref="MailboxList"/>); the first that does
    /// not is the problem returned, and no verdict can be Valid with it.
    /// </remarks>
    private static (IReadOnlyList<string> Addresses, string? Problem) SenderAddresses(
        MimeMessage message,
        MimeEntity inner)
    {
        var addresses = new List<string>();
        string? problem = null;
        MimeMessage[] messages = inner is MessagePart { Message: { } wrapped }
            ? [message, wrapped]
            : [message];
        foreach (Header header in messages.SelectMany(m => m.Headers))
        {
            if (header.Id is not (HeaderId.From or HeaderId.Sender))
            {
                continue;
            }

            try
            {
                IReadOnlyList<string> mailboxes = MailboxList.Parse(header.RawValue, header.Field);
                if (header.Id == HeaderId.From)
                {
                    addresses.AddRange(mailboxes);
                }
                else if (mailboxes.Count != 1)
                {
                    // RFC 5322 §3.6.2: Sender is a single mailbox.
                    problem ??= $"The Sender header field names {mailboxes.Count} mailboxes, "
                        + "not one (RFC 5322 §3.6.2).";
                }
            }
            catch (FormatException e)
            {
                problem ??= e.Message;
            }
        }

        return (addresses.Distinct(StringComparer.Ordinal).ToArray(), problem);
    }
}
