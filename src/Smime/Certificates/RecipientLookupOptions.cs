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
    /// With anchors, a revoked certificate is passed over; one whose revocation is unknown is
    /// kept, and the reason says so. Without anchors revocation is not checked.
    /// </summary>
    public RevocationChecker? Revocation { get; init; }
}
