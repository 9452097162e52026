using System.Security.Cryptography.X509Certificates;

namespace Smime.Mime;

/// <summary>What a reader may use to open and check a message.</summary>
public sealed class ReadOptions
{
    /// <summary>Certificates with private keys, to decrypt.</summary>
    public IReadOnlyList<X509Certificate2> DecryptionKeys { get; init; } = [];

    /// <summary>
    /// Certificates with PKCS#8 keys beside them, to decrypt: X25519 and X448, which .NET
    /// cannot attach to a certificate (<see cref="Smime.Cms.CertificateKey"/>).
    /// </summary>
    public IReadOnlyList<Smime.Cms.CertificateKey> DecryptionCertificateKeys { get; init; } = [];

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
