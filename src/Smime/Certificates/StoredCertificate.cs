using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>A certificate as the store holds it, with the columns it is searched by.</summary>
/// <param name="Thumbprint">SHA-256 of the DER, upper-case hex: the store's key.</param>
/// <param name="Certificate">The certificate (no private key attached).</param>
/// <param name="Addresses">Its email addresses (RFC 8550 §3), domains lower-cased.</param>
/// <param name="KeyUsage">The keyUsage bits; null when the extension is absent.</param>
/// <param name="ExtendedKeyUsages">The EKU OIDs; null when the extension is absent.</param>
/// <param name="IsTrustAnchor">Whether the user trusts it as an anchor.</param>
/// <param name="HasPrivateKey">Whether the store holds its private key (encrypted).</param>
public sealed record StoredCertificate(
    string Thumbprint,
    X509Certificate2 Certificate,
    IReadOnlyList<string> Addresses,
    X509KeyUsageFlags? KeyUsage,
    IReadOnlyList<string>? ExtendedKeyUsages,
    bool IsTrustAnchor,
    bool HasPrivateKey)
{
    public string Subject => Certificate.Subject;

    public string Issuer => Certificate.Issuer;

    public string SerialNumber => Certificate.SerialNumber;

    public DateTimeOffset NotBefore => new(Certificate.NotBefore.ToUniversalTime());

    public DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime());

    /// <summary>The public key algorithm as a person reads it ("RSA 2048", "EC P-256").</summary>
    public string KeyDescription => CertificateFacts.DescribeKey(Certificate);
}
