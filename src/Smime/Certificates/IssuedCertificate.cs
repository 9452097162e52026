using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>One serial number spent by the store's certificate authority.</summary>
/// <param name="Serial">The serial number, upper-case hex, big-endian.</param>
/// <param name="IssuerThumbprint">SHA-256 thumbprint of the issuing CA certificate.</param>
/// <param name="State">Reserved, issued or revoked.</param>
/// <param name="Profile">The S/MIME profile name it was issued under.</param>
/// <param name="Subject">The subject distinguished name.</param>
/// <param name="Address">The first mailbox address, or null.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Certificate">The DER certificate; null while only reserved.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
/// <param name="Reason">The revocation reason, or null.</param>
public sealed record IssuedCertificate(
    string Serial,
    string IssuerThumbprint,
    IssuedCertificateState State,
    string Profile,
    string Subject,
    string? Address,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    byte[]? Certificate,
    DateTimeOffset? RevokedAt,
    X509RevocationReason? Reason);
