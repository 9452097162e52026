namespace Smime.Authority;

/// <summary>What <see cref="CertificateAuthority.Initialize"/> makes.</summary>
public sealed class CertificateAuthorityOptions
{
    /// <summary>Longest root lifetime accepted, in years.</summary>
    public const int MaxYears = 30;

    /// <summary>The root's distinguished name, e.g. "CN=Example Root, O=Example".</summary>
    public required string Name { get; init; }

    /// <summary>The key type of the root (and the intermediate).</summary>
    public KeyType KeyType { get; init; } = KeyType.P256;

    /// <summary>
    /// The root's lifetime in years; an intermediate gets half of it (at least one).
    /// </summary>
    public int Years { get; init; } = 10;

    /// <summary>Whether to make an intermediate that issues, keeping the root's key idle.</summary>
    public bool Intermediate { get; init; }

    /// <summary>
    /// The intermediate's name; the root's with " Issuing CA" after its CN when null.
    /// </summary>
    public string? IntermediateName { get; init; }

    /// <summary>An http URL for the CRL, written into every certificate issued; or null.</summary>
    public string? CrlUrl { get; init; }

    /// <summary>
    /// An http URL for the CA's OCSP responder (<c>smime ca serve</c>), written into every
    /// certificate issued as an authorityInfoAccess id-ad-ocsp URI; or null.
    /// </summary>
    public string? OcspUrl { get; init; }
}
