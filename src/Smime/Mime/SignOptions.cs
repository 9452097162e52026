using Smime.Cms;

namespace Smime.Mime;

/// <summary>How to sign a message.</summary>
public sealed class SignOptions
{
    /// <summary>One or more signers.</summary>
    public required IReadOnlyList<CmsSigner> Signers { get; init; }

    /// <summary>Opaque application/pkcs7-mime signed-data instead of clear multipart/signed.</summary>
    public bool Opaque { get; init; }

    /// <summary>
    /// Compress the entity (RFC 8551 §3.7, compressed-data) before signing it: the signature
    /// covers the application/pkcs7-mime compressed-data part.
    /// </summary>
    public bool CompressFirst { get; init; }
}
