namespace Smime.Authority;

/// <summary>
/// The three generations of each S/MIME Baseline Requirements certificate type (§1.2). The
/// values are the last arc of the reserved policy OID.
/// </summary>
public enum SmimeGeneration
{
    /// <summary>Legacy: the loosest rules and validity of up to 1185 days (§6.3.2).</summary>
    Legacy = 1,

    /// <summary>Multipurpose: emailProtection plus other, non-TLS, non-code-signing EKUs.</summary>
    Multipurpose = 2,

    /// <summary>
    /// Strict: emailProtection is the only EKU and the subject fields are narrowest.
    /// </summary>
    Strict = 3,
}
