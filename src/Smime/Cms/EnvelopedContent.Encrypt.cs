using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using Smime.Cms.Asn;

namespace Smime.Cms;

public static partial class EnvelopedContent
{
    /// <summary>Room <see cref="EncryptInPlace"/> needs after the content: one CBC block.</summary>
    internal const int InPlacePaddingRoom = 16;

    /// <summary>
    /// Encrypts the content once under a fresh key and wraps that key for every recipient.
    /// GCM and ChaCha20-Poly1305 give AuthEnvelopedData, CBC ones EnvelopedData.
    /// </summary>
    /// <param name="content">The content to encrypt.</param>
    /// <param name="recipients">The recipients: RSA (key transport), EC, X25519 or X448 (key
    /// agreement) certificates, in any mix.</param>
    /// <param name="algorithm">The content-encryption algorithm.</param>
    /// <param name="contentType">The content's type, id-data for MIME.</param>
    /// <returns>The DER encoding of the ContentInfo.</returns>
    /// <exception cref="NotSupportedException">The algorithm is read-only, or a recipient's key
    /// type cannot be used.</exception>
    /// <exception cref="ArgumentException">No recipients, too many, or a key id is asked for a
    /// certificate without a subjectKeyIdentifier.</exception>
    public static byte[] Encrypt(
        ReadOnlySpan<byte> content,
        IReadOnlyList<CmsRecipient> recipients,
        ContentEncryptionAlgorithm algorithm,
        string contentType = Oids.Data)
    {
        CheckArguments(recipients, contentType);
        ContentCipher cipher = ContentCipher.ForEncryption(algorithm);
        byte[] key = RandomNumberGenerator.GetBytes(cipher.KeyLength);
        try
        {
            Layout layout = Plan(content.Length, recipients, contentType, cipher, key);
            if (layout.Total > Array.MaxLength)
            {
                throw new ArgumentException(
                    "The content is too large to encrypt into one array.", nameof(content));
            }

            // One array sized up front, the ciphertext (and tag) encrypted straight into its
            // place: no copy of the content beyond the output itself.
            byte[] output = GC.AllocateUninitializedArray<byte>((int)layout.Total);
            layout.Header.CopyTo(output, 0);
            int trailerStart = layout.Header.Length + (int)layout.CiphertextLength;
            layout.Trailer.CopyTo(output, trailerStart);
            Span<byte> ciphertext =
                output.AsSpan(layout.Header.Length, (int)layout.CiphertextLength);
            Span<byte> tag = output.AsSpan(trailerStart + layout.TagOffset, cipher.TagLength);
            cipher.Encrypt(key, content, ciphertext, tag, layout.AssociatedData);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Encrypts the content over itself and returns the ContentInfo in three pieces: the DER
    /// before the encryptedContent's bytes, the ciphertext (the start of
    /// <paramref name="buffer"/>) and the DER after it, to be written out one after another.
    /// </summary>
    /// <param name="buffer">The content in its first <paramref name="length"/> bytes, with
    /// room after them for CBC padding (<see cref="InPlacePaddingRoom"/> bytes).</param>
    /// <param name="length">The content's length.</param>
    /// <param name="recipients">The recipients.</param>
    /// <param name="algorithm">The content-encryption algorithm.</param>
    /// <param name="contentType">The content's type, id-data for MIME.</param>
    /// <param name="cbcPieceLength">For CBC, a positive multiple of 16 to encrypt on another
    /// thread that many bytes at a time, so the caller writes each piece out
    /// (<see cref="EncryptedInPlace.WriteCiphertext"/>) while the next is encrypted; 0 to
    /// encrypt all before returning. AEADs (one call in .NET) always encrypt before.</param>
    /// <exception cref="ArgumentException">No room for the padding, no recipients or too
    /// many.</exception>
    /// <exception cref="NotSupportedException">The algorithm is read-only, or a recipient's
    /// key type cannot be used.</exception>
    internal static EncryptedInPlace EncryptInPlace(
        byte[] buffer,
        int length,
        IReadOnlyList<CmsRecipient> recipients,
        ContentEncryptionAlgorithm algorithm,
        string contentType = Oids.Data,
        int cbcPieceLength = 0)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        CheckArguments(recipients, contentType);
        ContentCipher cipher = ContentCipher.ForEncryption(algorithm);
        long ciphertextLength = cipher.CiphertextLength(length);
        if (ciphertextLength > buffer.Length)
        {
            throw new ArgumentException(
                $"The buffer leaves no room for the {ciphertextLength - length} bytes of CBC " +
                "padding after the content.", nameof(buffer));
        }

        byte[] key = RandomNumberGenerator.GetBytes(cipher.KeyLength);
        try
        {
            Layout layout = Plan(length, recipients, contentType, cipher, key);
            var ciphertext = new ArraySegment<byte>(buffer, 0, (int)ciphertextLength);
            if (cbcPieceLength > 0 && !cipher.IsAuthenticated && length > cbcPieceLength)
            {
                var progress = new EncryptionProgress();
                byte[] ownKey = key;
                key = [];
                void EncryptPieces()
                {
                    try
                    {
                        cipher.EncryptCbcInPieces(
                            ownKey, buffer, length, cbcPieceLength, progress.Advance);
                    }
                    catch (Exception e)
                    {
                        progress.Fail(e);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(ownKey);
                    }
                }

                // A thread of its own, not the pool's: the caller blocks until pieces are done,
                // so callers on pool threads would otherwise wait for the pool to grow (about a
                // second per blocked caller) or, with the pool at its limit, forever.
                _ = Task.Factory.StartNew(
                    EncryptPieces,
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default);
                return new EncryptedInPlace(
                    layout.Header, ciphertext, layout.Trailer, IsAuthenticated: false)
                {
                    Progress = progress,
                };
            }

            // .NET's AEADs and AES-CBC accept a destination that starts where the source does.
            cipher.Encrypt(
                key,
                buffer.AsSpan(0, length),
                ciphertext,
                layout.Trailer.AsSpan(layout.TagOffset, cipher.TagLength),
                layout.AssociatedData);
            return new EncryptedInPlace(
                layout.Header, ciphertext, layout.Trailer, cipher.IsAuthenticated);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void CheckArguments(IReadOnlyList<CmsRecipient> recipients, string contentType)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient is needed.", nameof(recipients));
        }

        if (recipients.Count > CmsLimits.MaxRecipients)
        {
            throw new ArgumentException(
                $"{recipients.Count} recipients are more than the limit of " +
                $"{CmsLimits.MaxRecipients}.", nameof(recipients));
        }
    }

    /// <summary>
    /// The ContentInfo around a ciphertext of known length: the DER before it (through the
    /// encryptedContent's header), the DER after it (authAttrs, the mac with room for the
    /// tag), and the AEAD's additional data.
    /// </summary>
    private sealed record Layout(
        byte[] Header,
        long CiphertextLength,
        byte[] Trailer,
        int TagOffset,
        byte[] AssociatedData)
    {
        public long Total => Header.Length + CiphertextLength + Trailer.Length;
    }

    private static Layout Plan(
        long contentLength,
        IReadOnlyList<CmsRecipient> recipients,
        string contentType,
        ContentCipher cipher,
        byte[] key)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        bool allVersion0 = true;
        using (writer.PushSetOf())
        {
            foreach (CmsRecipient recipient in recipients)
            {
                ArgumentNullException.ThrowIfNull(recipient, nameof(recipients));
                int recipientVersion = KeyAgreeRecipientInfo.Serves(recipient.Certificate)
                    ? KeyAgreeRecipientInfo.Write(writer, recipient, key)
                    : KeyTransRecipientInfo.Write(writer, recipient, key);
                allVersion0 &= recipientVersion == 0;
            }
        }

        byte[] recipientInfos = writer.Encode();

        // RFC 5652 §6.1: 0 when every RecipientInfo is version 0 and there is no
        // originatorInfo or unprotectedAttrs, else 2. RFC 5083 §2.1: AuthEnvelopedData is 0.
        int version = cipher.IsAuthenticated || allVersion0 ? 0 : 2;

        writer.Reset();
        writer.WriteObjectIdentifier(contentType);
        cipher.WriteAlgorithmIdentifier(writer);
        byte[] contentInfoHead = writer.Encode();

        writer.Reset();
        writer.WriteObjectIdentifier(
            cipher.IsAuthenticated ? Oids.AuthEnvelopedData : Oids.EnvelopedData);
        byte[] outerType = writer.Encode();

        // RFC 5083 §2.1: authAttrs MUST be present when the content is not id-data; they
        // carry the content-type attribute so that the AEAD authenticates the type too.
        // OpenSSL 3.0 cannot parse authAttrs (openssl/openssl#26101); MIME is id-data.
        byte[] authAttrs = cipher.IsAuthenticated && contentType != Oids.Data
            ? ContentTypeAuthAttrs(writer, contentType)
            : [];

        // Lengths from the inside out: EncryptedContentInfo, the body, the ContentInfo.
        long ciphertextLength = cipher.CiphertextLength(contentLength);
        int macLength = cipher.TagLength;
        int macField = cipher.IsAuthenticated ? DerHeader.Size(macLength) + macLength : 0;
        long eciContent =
            contentInfoHead.Length + DerHeader.Size(ciphertextLength) + ciphertextLength;
        long bodyContent = VersionField.Length + recipientInfos.Length
            + DerHeader.Size(eciContent) + eciContent + authAttrs.Length + macField;
        long body = DerHeader.Size(bodyContent) + bodyContent;
        long infoContent = outerType.Length + DerHeader.Size(body) + body;

        var header = new byte[DerHeader.Size(infoContent) + infoContent
            - ciphertextLength - authAttrs.Length - macField];
        Span<byte> rest = header;
        rest = rest[DerHeader.Write(rest, 0x30, infoContent)..];
        rest = Put(rest, outerType);
        rest = rest[DerHeader.Write(rest, 0xA0, body)..];
        rest = rest[DerHeader.Write(rest, 0x30, bodyContent)..];
        VersionField.CopyTo(rest);
        rest[VersionField.Length - 1] = (byte)version;
        rest = rest[VersionField.Length..];
        rest = Put(rest, recipientInfos);
        rest = rest[DerHeader.Write(rest, 0x30, eciContent)..];
        rest = Put(rest, contentInfoHead);

        // encryptedContent [0] IMPLICIT OCTET STRING, primitive (RFC 5652 §6.1).
        rest = rest[DerHeader.Write(rest, 0x80, ciphertextLength)..];
        Debug.Assert(rest.IsEmpty, "The header layout and the computed length disagree.");

        var trailer = new byte[authAttrs.Length + macField];
        rest = Put(trailer, authAttrs);
        int tagOffset = authAttrs.Length;
        if (cipher.IsAuthenticated)
        {
            // RFC 5083 §2.1: mac, an OCTET STRING after the authEncryptedContentInfo.
            tagOffset += DerHeader.Write(rest, 0x04, macLength);
        }

        // RFC 5083 §2.2: the additional data is the DER of authAttrs with a SET OF tag.
        byte[] associatedData = authAttrs;
        if (associatedData.Length > 0)
        {
            associatedData = (byte[])authAttrs.Clone();
            associatedData[0] = 0x31;
        }

        return new Layout(header, ciphertextLength, trailer, tagOffset, associatedData);
    }

    private static byte[] ContentTypeAuthAttrs(AsnWriter writer, string contentType)
    {
        writer.Reset();
        writer.WriteObjectIdentifier(contentType);
        byte[] value = writer.Encode();

        writer.Reset();
        using (writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 1)))
        {
            AttributeAsn.Write(writer, Oids.ContentTypeAttribute, value);
        }

        return writer.Encode();
    }

    private static Span<byte> Put(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination);
        return destination[bytes.Length..];
    }

    // INTEGER, length 1; the value byte is set per message.
    private static ReadOnlySpan<byte> VersionField => [0x02, 0x01, 0x00];
}
