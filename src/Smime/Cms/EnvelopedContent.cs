using System.Security.Cryptography;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>
/// Encrypts and decrypts CMS EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083).
/// </summary>
public static partial class EnvelopedContent
{
    /// <summary>
    /// Reads what an encrypted blob is without decrypting it: its kind, content cipher and
    /// recipients. Nothing is checked beyond the structure.
    /// </summary>
    /// <param name="encoded">The ContentInfo, BER or DER.</param>
    /// <exception cref="CryptographicException">The data is not well-formed EnvelopedData or
    /// AuthEnvelopedData.</exception>
    public static EnvelopedDescription Describe(ReadOnlyMemory<byte> encoded)
    {
        EnvelopedDataAsn data = EnvelopedDataAsn.Decode(encoded);
        return new EnvelopedDescription(
            data.IsAuthenticated,
            data.ContentType,
            data.ContentEncryptionAlgorithm.Oid,
            ContentCipher.FromOid(data.ContentEncryptionAlgorithm.Oid),
            data.RecipientInfos.Select(recipient => recipient.Describe()).ToArray());
    }
}
