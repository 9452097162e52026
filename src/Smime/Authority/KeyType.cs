namespace Smime.Authority;

/// <summary>The key pairs smime makes for subscribers and for its CA.</summary>
public enum KeyType
{
    /// <summary>RSA with a 2048-bit modulus, the smallest S/MIME BR §6.1.5 allows.</summary>
    Rsa2048,

    /// <summary>RSA with a 3072-bit modulus.</summary>
    Rsa3072,

    /// <summary>RSA with a 4096-bit modulus.</summary>
    Rsa4096,

    /// <summary>ECDSA/ECDH on NIST P-256 (secp256r1).</summary>
    P256,

    /// <summary>ECDSA/ECDH on NIST P-384 (secp384r1).</summary>
    P384,
}
