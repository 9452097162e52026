using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using Smime.Cms.Asn;

namespace Smime.Cms;

public static partial class EnvelopedContent
{
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

        ContentCipher cipher = ContentCipher.ForEncryption(algorithm);
        byte[] key = RandomNumberGenerator.GetBytes(cipher.KeyLength);
        try
        {
            return Assemble(content, recipients, contentType, cipher, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Writes the ContentInfo into one array sized up front, the ciphertext (and GCM tag)
    /// encrypted straight into its place: no copy of the content beyond the output itself.
    /// </summary>
    private static byte[] Assemble(
        ReadOnlySpan<byte> content,
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
        long ciphertextLength = cipher.CiphertextLength(content.Length);
        int macLength = cipher.TagLength;
        long macField = cipher.IsAuthenticated ? DerHeader.Size(macLength) + macLength : 0;
        long eciContent =
            contentInfoHead.Length + DerHeader.Size(ciphertextLength) + ciphertextLength;
        long bodyContent = VersionField.Length + recipientInfos.Length
            + DerHeader.Size(eciContent) + eciContent + authAttrs.Length + macField;
        long body = DerHeader.Size(bodyContent) + bodyContent;
        long infoContent = outerType.Length + DerHeader.Size(body) + body;
        long total = DerHeader.Size(infoContent) + infoContent;
        if (total > Array.MaxLength)
        {
            throw new ArgumentException(
                "The content is too large to encrypt into one array.", nameof(content));
        }

        byte[] output = GC.AllocateUninitializedArray<byte>((int)total);
        Span<byte> rest = output;
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
        Span<byte> ciphertext = rest[..(int)ciphertextLength];
        rest = rest[(int)ciphertextLength..];

        rest = Put(rest, authAttrs);
        Span<byte> tag = default;
        if (cipher.IsAuthenticated)
        {
            // RFC 5083 §2.1: mac, an OCTET STRING after the authEncryptedContentInfo.
            rest = rest[DerHeader.Write(rest, 0x04, macLength)..];
            tag = rest[..macLength];
            rest = rest[macLength..];
        }

        Debug.Assert(rest.IsEmpty, "The layout and the computed length disagree.");
        // RFC 5083 §2.2: the additional data is the DER of authAttrs with a SET OF tag.
        byte[] associatedData = authAttrs;
        if (associatedData.Length > 0)
        {
            associatedData = (byte[])authAttrs.Clone();
            associatedData[0] = 0x31;
        }

        cipher.Encrypt(key, content, ciphertext, tag, associatedData);
        return output;
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
