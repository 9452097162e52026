namespace Smime.Cms;

/// <summary>Content-encryption algorithms (RFC 8551 §2.7). GCM gives AuthEnvelopedData.</summary>
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
}
