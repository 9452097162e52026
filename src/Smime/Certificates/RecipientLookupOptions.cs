using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>How recipients are looked up.</summary>
public sealed class RecipientLookupOptions
{
    /// <summary>The time the certificates must be valid at; now when not set.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>When not empty, a certificate must chain to one of these anchors.</summary>
    public X509Certificate2Collection TrustAnchors { get; init; } = new();

    /// <summary>
    /// Checks revocation (network included, as this checker is set up): a revoked certificate
    /// is passed over; one whose revocation is unknown is kept, and the reason says so. With
    /// anchors every certificate of the path but the anchor is checked; without, the leaf
    /// against the stored certificates named as its issuer. When null, the CRLs cached in the
    /// store are still consulted, with no network, and only a revocation they list counts.
    /// </summary>
    public RevocationChecker? Revocation { get; init; }
}
