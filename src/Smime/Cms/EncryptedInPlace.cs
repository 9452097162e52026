namespace Smime.Cms;

/// <summary>
/// An EnvelopedData or AuthEnvelopedData ContentInfo in DER, in three pieces to be written one
/// after another: the ciphertext stays in the buffer it was encrypted in
/// (<see cref="EnvelopedContent.EncryptInPlace"/>), never copied into a whole encoding.
/// </summary>
/// <param name="Header">The DER before the encryptedContent's bytes.</param>
/// <param name="Ciphertext">The encryptedContent's bytes.</param>
/// <param name="Trailer">The DER after them: authAttrs and the mac, if any.</param>
/// <param name="IsAuthenticated">True for AuthEnvelopedData.</param>
internal sealed record EncryptedInPlace(
    byte[] Header,
    ArraySegment<byte> Ciphertext,
    byte[] Trailer,
    bool IsAuthenticated)
{
    /// <summary>The length of the whole encoding.</summary>
    public long Length => Header.Length + (long)Ciphertext.Count + Trailer.Length;
}
