namespace Smime.Cms;

/// <summary>Object identifiers of CMS (RFC 5652), S/MIME (RFC 8551) and their algorithms.</summary>
public static class Oids
{
    // RFC 5652 §4-§9, RFC 5083 §1.1, RFC 3274 §1.1
    public const string Data = "1.2.840.113549.1.7.1";
    public const string SignedData = "1.2.840.113549.1.7.2";
    public const string EnvelopedData = "1.2.840.113549.1.7.3";
    public const string AuthEnvelopedData = "1.2.840.113549.1.9.16.1.23";
    public const string CompressedData = "1.2.840.113549.1.9.16.1.9";

    // RFC 5652 §11, RFC 8551 §2.5.2, §2.5.3, RFC 5035
    public const string ContentTypeAttribute = "1.2.840.113549.1.9.3";
    public const string MessageDigestAttribute = "1.2.840.113549.1.9.4";
    public const string SigningTimeAttribute = "1.2.840.113549.1.9.5";
    public const string SmimeCapabilitiesAttribute = "1.2.840.113549.1.9.15";
    public const string EncryptionKeyPreferenceAttribute = "1.2.840.113549.1.9.16.2.11";
    public const string SigningCertificateV2Attribute = "1.2.840.113549.1.9.16.2.47";
    public const string SigningCertificateAttribute = "1.2.840.113549.1.9.16.2.12";

    // Digests
    public const string Md5 = "1.2.840.113549.2.5";
    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string Sha512 = "2.16.840.1.101.3.4.2.3";

    // Signatures (RFC 3370, RFC 4056, RFC 5754, RFC 5758)
    public const string Rsa = "1.2.840.113549.1.1.1";
    public const string Md5WithRsa = "1.2.840.113549.1.1.4";
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string Mgf1 = "1.2.840.113549.1.1.8";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string EcdsaWithSha1 = "1.2.840.10045.4.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";
    public const string X25519 = "1.3.101.110";
    public const string Ed25519 = "1.3.101.112";

    // Key transport (RFC 3560)
    public const string RsaOaep = "1.2.840.113549.1.1.7";

    // Content encryption (RFC 3565, RFC 5084, RFC 3370)
    public const string Aes128Cbc = "2.16.840.1.101.3.4.1.2";
    public const string Aes192Cbc = "2.16.840.1.101.3.4.1.22";
    public const string Aes256Cbc = "2.16.840.1.101.3.4.1.42";
    public const string Aes128Gcm = "2.16.840.1.101.3.4.1.6";
    public const string Aes192Gcm = "2.16.840.1.101.3.4.1.26";
    public const string Aes256Gcm = "2.16.840.1.101.3.4.1.46";
    public const string TripleDesCbc = "1.2.840.113549.3.7";
    public const string ChaCha20Poly1305 = "1.2.840.113549.1.9.16.3.18";

    // Certificates
    public const string EmailAddress = "1.2.840.113549.1.9.1";
    public const string SubjectAltName = "2.5.29.17";
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string EmailProtection = "1.3.6.1.5.5.7.3.4";
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";

    // Key agreement (RFC 5753 §7.1.4, RFC 8418 §2, RFC 3278 §8.2): schemes, curves, key wrap
    public const string EcdhStdSha1Kdf = "1.3.133.16.840.63.0.2";
    public const string EcdhCofactorSha1Kdf = "1.3.133.16.840.63.0.3";
    public const string EcdhStdSha224Kdf = "1.3.132.1.11.0";
    public const string EcdhStdSha256Kdf = "1.3.132.1.11.1";
    public const string EcdhStdSha384Kdf = "1.3.132.1.11.2";
    public const string EcdhStdSha512Kdf = "1.3.132.1.11.3";
    public const string EcdhCofactorSha224Kdf = "1.3.132.1.14.0";
    public const string EcdhCofactorSha256Kdf = "1.3.132.1.14.1";
    public const string EcdhCofactorSha384Kdf = "1.3.132.1.14.2";
    public const string EcdhCofactorSha512Kdf = "1.3.132.1.14.3";
    public const string EcdhHkdfSha256 = "1.2.840.113549.1.9.16.3.19";
    public const string EcdhHkdfSha384 = "1.2.840.113549.1.9.16.3.20";
    public const string EcdhHkdfSha512 = "1.2.840.113549.1.9.16.3.21";
    public const string X448 = "1.3.101.111";
    public const string Secp256r1 = "1.2.840.10045.3.1.7";
    public const string Secp384r1 = "1.3.132.0.34";
    public const string Secp521r1 = "1.3.132.0.35";
    public const string Aes128Wrap = "2.16.840.1.101.3.4.1.5";
    public const string Aes192Wrap = "2.16.840.1.101.3.4.1.25";
    public const string Aes256Wrap = "2.16.840.1.101.3.4.1.45";

    // Compression (RFC 3274 §2)
    public const string ZlibCompression = "1.2.840.113549.1.9.16.3.8";
}
