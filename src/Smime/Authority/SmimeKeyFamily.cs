namespace Smime.Authority;

/// <summary>The public key families the S/MIME Baseline Requirements give key usages for.</summary>
public enum SmimeKeyFamily
{
    /// <summary>RSA (rsaEncryption or RSASSA-PSS keys), at least 2048 bits (§6.1.5).</summary>
    Rsa,

    /// <summary>EC keys on P-256, P-384 or P-521.</summary>
    EllipticCurve,

    /// <summary>Ed25519 or Ed448: signing only.</summary>
    EdDsa,

    /// <summary>X25519 or X448: key agreement only.</summary>
    Xdh,
}
