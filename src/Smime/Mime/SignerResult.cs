using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;

namespace Smime.Mime;

/// <summary>What was found about one signer.</summary>
public sealed class SignerResult
{
    /// <summary>The signer's certificate, when one matched the SignerInfo.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The certificate subject, or how the SignerInfo names the certificate.</summary>
    public required string Signer { get; init; }

    /// <summary>The certificate's email addresses (RFC 8550 §3).</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    public required string DigestAlgorithm { get; init; }

    public required string SignatureAlgorithm { get; init; }

    public DateTimeOffset? SigningTime { get; init; }

    public required bool SignatureValid { get; init; }

    /// <summary>Why the signature failed; null when it verified.</summary>
    public string? Failure { get; init; }

    /// <summary>The chain status against the trust anchors given.</summary>
    public required ChainResult Chain { get; init; }

    /// <summary>Whether one of the addresses matches a From address.</summary>
    public required bool AddressMatches { get; init; }

    /// <summary>The SignerInfo itself: its signed attributes (capabilities, key preference).</summary>
    public Smime.Cms.SignerInfo? SignerInfo { get; init; }

    /// <summary>Every certificate the signer's SignedData carried.</summary>
    public IReadOnlyList<X509Certificate2> MessageCertificates { get; init; } = [];

    /// <summary>Warnings such as a SHA-1 digest.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
