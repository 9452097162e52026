namespace Smime.Cms;

/// <summary>
/// Content-encryption algorithms (RFC 8551 §2.7). GCM and ChaCha20-Poly1305 give
/// AuthEnvelopedData.
/// </summary>
public enum ContentEncryptionAlgorithm
{
    Aes128Gcm,
    Aes256Gcm,
    Aes128Cbc,
    Aes192Cbc,
    Aes256Cbc,

    /// <summary>Read only, for old mail.</summary>
    TripleDesCbc,

    /// <summary>AES-192-GCM (RFC 5084): not in RFC 8551's list, but openssl writes it.</summary>
    Aes192Gcm,

    /// <summary>ChaCha20-Poly1305 (RFC 8103), in AuthEnvelopedData where supported.</summary>
    ChaCha20Poly1305,
}
