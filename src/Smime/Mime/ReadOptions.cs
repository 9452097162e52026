using System.Security.Cryptography.X509Certificates;
using Smime.Cms;

namespace Smime.Mime;

/// <summary>What a reader may use to open and check a message.</summary>
public sealed class ReadOptions
{
    /// <summary>Certificates with private keys, to decrypt.</summary>
    public IReadOnlyList<X509Certificate2> DecryptionKeys { get; init; } = [];

    /// <summary>
    /// Certificates with PKCS#8 private keys, to decrypt: X25519 and X448 (RFC 8418), which
    /// .NET cannot attach to a certificate.
    /// </summary>
    public IReadOnlyList<CertificateKey> DecryptionRawKeys { get; init; } = [];

    /// <summary>
    /// The most bytes the compressed-data layers (RFC 3274) of a message may inflate to, all
    /// together.
    /// </summary>
    public long MaxInflatedBytes { get; init; } = CompressedContent.DefaultMaxInflatedBytes;

    /// <summary>Trust anchors for the signers' chains.</summary>
    public X509Certificate2Collection TrustAnchors { get; init; } = new();

    /// <summary>Further certificates to build chains and find signers with.</summary>
    public X509Certificate2Collection ExtraCertificates { get; init; } = new();

    /// <summary>The time to validate chains at; now when not set.</summary>
    public DateTimeOffset? VerificationTime { get; init; }

    /// <summary>When set, signers' chains are checked for revocation with it.</summary>
    public Smime.Certificates.RevocationChecker? Revocation { get; init; }

    /// <summary>Stop at the first layer that is not encrypted (for decrypt-only use).</summary>
    public bool DecryptOnly { get; init; }

    /// <summary>How many S/MIME layers may be nested before the message is refused.</summary>
    public int MaxDepth { get; init; } = SmimeLimits.MaxLayers;
}
