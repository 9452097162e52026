namespace Smime.Certificates;

/// <summary>The certificate authority a store runs (<c>smime ca init</c>).</summary>
/// <param name="IssuerThumbprint">The issuing CA's certificate: the intermediate, else the
/// root.</param>
/// <param name="RootThumbprint">The self-signed root's certificate.</param>
/// <param name="CrlUrl">The HTTP URL written as CRL distribution point, or null.</param>
/// <param name="CrlNumber">The number of the last CRL signed (RFC 5280 §5.2.3), 0 before
/// any.</param>
public sealed record CertificateAuthorityRecord(
    string IssuerThumbprint,
    string RootThumbprint,
    string? CrlUrl,
    long CrlNumber)
{
    /// <summary>
    /// The HTTP URL of the CA's OCSP responder, written into what it issues as an
    /// authorityInfoAccess id-ad-ocsp URI (RFC 5280 §4.2.2.1); null when none.
    /// </summary>
    public string? OcspUrl { get; init; }
}
