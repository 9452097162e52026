using Smime.Cms;

namespace Smime.Mime;

/// <summary>How to encrypt a message; with signers, the message is signed first.</summary>
public sealed class EncryptOptions
{
    /// <summary>The recipients, the sender's own certificate among them.</summary>
    public required IReadOnlyList<CmsRecipient> Recipients { get; init; }

    /// <summary>The content cipher; AES-256-GCM (authEnveloped-data) by default.</summary>
    public ContentEncryptionAlgorithm Algorithm { get; init; } = ContentEncryptionAlgorithm.Aes256Gcm;

    /// <summary>When set, the message is signed with these options before it is encrypted.</summary>
    public SignOptions? SignFirst { get; init; }

    /// <summary>
    /// Compress (RFC 8551 §3.7, compressed-data) what is encrypted: the entity, or the signed
    /// entity with <see cref="SignFirst"/>. Compressing ciphertext would gain nothing.
    /// </summary>
    public bool CompressFirst { get; init; }
}
