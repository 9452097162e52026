using System.Security.Cryptography;

namespace Smime.Cms;

/// <summary>How a key-agreement scheme turns the shared secret into a key-encryption key.</summary>
internal enum KeyDerivation
{
    /// <summary>ANSI X9.63 KDF over ECC-CMS-SharedInfo (RFC 5753 §7.2).</summary>
    X963,

    /// <summary>HKDF with ECC-CMS-SharedInfo as info and no salt (RFC 8418 §2.2).</summary>
    Hkdf,
}

/// <summary>
/// A KeyAgreeRecipientInfo keyEncryptionAlgorithm: ephemeral-static ECDH with the X9.63 KDF
/// (RFC 5753 §7.1.4) or its cofactor twins, or with HKDF (RFC 8418 §2). RFC 8418 §2 lets
/// X25519 and X448 use either KDF; we send HKDF to them and X9.63 to EC keys.
/// </summary>
internal readonly record struct KeyAgreementScheme(
    string Oid,
    KeyDerivation Derivation,
    HashAlgorithmName Hash)
{
    /// <summary>The scheme for an OID, or null when it is not one we know.</summary>
    public static KeyAgreementScheme? FromOid(string oid)
    {
        // For P-256, P-384 and P-521 the cofactor is 1, so cofactor ECDH (RFC 5753 §7.1.4)
        // gives the same shared secret as standard ECDH.
        (KeyDerivation, HashAlgorithmName)? scheme = oid switch
        {
            Oids.EcdhStdSha1Kdf or Oids.EcdhCofactorSha1Kdf =>
                (KeyDerivation.X963, HashAlgorithmName.SHA1),
            Oids.EcdhStdSha256Kdf or Oids.EcdhCofactorSha256Kdf =>
                (KeyDerivation.X963, HashAlgorithmName.SHA256),
            Oids.EcdhStdSha384Kdf or Oids.EcdhCofactorSha384Kdf =>
                (KeyDerivation.X963, HashAlgorithmName.SHA384),
            Oids.EcdhStdSha512Kdf or Oids.EcdhCofactorSha512Kdf =>
                (KeyDerivation.X963, HashAlgorithmName.SHA512),
            Oids.EcdhHkdfSha256 => (KeyDerivation.Hkdf, HashAlgorithmName.SHA256),
            Oids.EcdhHkdfSha384 => (KeyDerivation.Hkdf, HashAlgorithmName.SHA384),
            Oids.EcdhHkdfSha512 => (KeyDerivation.Hkdf, HashAlgorithmName.SHA512),
            _ => null,
        };
        return scheme is { } found ? new KeyAgreementScheme(oid, found.Item1, found.Item2) : null;
    }

    /// <summary>
    /// The scheme we send to an EC key: the KDF hash grows with the curve, SHA-256 for
    /// P-256, SHA-384 for P-384, SHA-512 for P-521 (RFC 5753 §8, RFC 8551 §2.3).
    /// </summary>
    public static KeyAgreementScheme ForEcKey(int keySize) => keySize switch
    {
        <= 256 => FromOid(Oids.EcdhStdSha256Kdf)!.Value,
        <= 384 => FromOid(Oids.EcdhStdSha384Kdf)!.Value,
        _ => FromOid(Oids.EcdhStdSha512Kdf)!.Value,
    };

    /// <summary>RFC 8418 §2: HKDF-SHA-256 for X25519, HKDF-SHA-512 for X448.</summary>
    public static KeyAgreementScheme ForMontgomeryKey(string keyOid) => keyOid == Oids.X448
        ? FromOid(Oids.EcdhHkdfSha512)!.Value
        : FromOid(Oids.EcdhHkdfSha256)!.Value;
}
