using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>
/// Encrypts and decrypts CMS EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083).
/// </summary>
public static class EnvelopedContent
{
    /// <summary>
    /// Encrypts the content once under a fresh key and wraps that key for every recipient.
    /// GCM algorithms give AuthEnvelopedData, CBC ones EnvelopedData.
    /// </summary>
    /// <returns>The DER encoding of the ContentInfo.</returns>
    /// <exception cref="NotSupportedException">The algorithm is read-only, or a recipient's key
    /// type cannot be used.</exception>
    public static byte[] Encrypt(
        ReadOnlySpan<byte> content,
        IReadOnlyList<CmsRecipient> recipients,
        ContentEncryptionAlgorithm algorithm,
        string contentType = Oids.Data) => throw new NotImplementedException();

    /// <summary>
    /// Decrypts a ContentInfo holding an EnvelopedData or AuthEnvelopedData, trying every
    /// RecipientInfo that one of the keys could open. No plaintext is returned unless the GCM
    /// tag or the CBC padding checks out.
    /// </summary>
    /// <param name="encoded">The ContentInfo, BER or DER.</param>
    /// <param name="keys">Certificates with their private keys.</param>
    /// <exception cref="CmsDecryptionException">No RecipientInfo could be opened, or the content
    /// failed its integrity check; the exception lists each failure.</exception>
    /// <exception cref="CryptographicException">The data is not well-formed.</exception>
    public static DecryptedContent Decrypt(
        ReadOnlyMemory<byte> encoded,
        IReadOnlyList<X509Certificate2> keys) => throw new NotImplementedException();
}
