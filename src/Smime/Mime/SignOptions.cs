using Smime.Cms;

namespace Smime.Mime;

/// <summary>How to sign a message.</summary>
public sealed class SignOptions
{
    /// <summary>One or more signers.</summary>
    public required IReadOnlyList<CmsSigner> Signers { get; init; }

    /// <summary>Opaque application/pkcs7-mime signed-data instead of clear multipart/signed.</summary>
    public bool Opaque { get; init; }
}
