using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rfc7748X25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;
using Rfc7748X448 = Org.BouncyCastle.Math.EC.Rfc7748.X448;

namespace Smime.Cms;

/// <summary>
/// X25519 and X448 keys (RFC 7748, RFC 8410): raw public keys from certificates, private
/// keys from PKCS#8, and the Diffie-Hellman function itself, which .NET lacks, from
/// BouncyCastle.
/// </summary>
internal static class MontgomeryKey
{
    /// <summary>Whether the OID is id-X25519 or id-X448.</summary>
    public static bool IsMontgomery(string? keyOid) => keyOid is Oids.X25519 or Oids.X448;

    /// <summary>Key and shared secret length: 32 for X25519, 56 for X448 (RFC 7748 §5).</summary>
    public static int KeyLength(string keyOid) => keyOid == Oids.X448 ? 56 : 32;

    public static string Name(string keyOid) => keyOid == Oids.X448 ? "X448" : "X25519";

    /// <summary>The raw public key of an X25519 or X448 certificate (RFC 8410 §4).</summary>
    /// <exception cref="CryptographicException">The key has the wrong length or
    /// parameters.</exception>
    public static byte[] PublicKeyOf(X509Certificate2 certificate)
    {
        string oid = certificate.PublicKey.Oid.Value!;
        byte[] key = certificate.PublicKey.EncodedKeyValue.RawData;

        // RFC 8410 §3: the parameters MUST be absent.
        if (certificate.PublicKey.EncodedParameters?.RawData.Length is > 0
            || key.Length != KeyLength(oid))
        {
            throw new CryptographicException(
                $"The {Name(oid)} public key of certificate {certificate.Subject} is malformed.");
        }

        return key;
    }

    /// <summary>
    /// The raw private key inside a PKCS#8 PrivateKeyInfo: privateKey is an OCTET STRING
    /// holding CurvePrivateKey, itself an OCTET STRING (RFC 8410 §7).
    /// </summary>
    /// <exception cref="CryptographicException">It is not such a key.</exception>
    public static byte[] PrivateKeyOf(CertificateKey key)
    {
        string oid = key.KeyAlgorithmOid;
        try
        {
            var reader = new AsnReader(key.Pkcs8PrivateKey.ToArray(), AsnEncodingRules.BER);
            AsnReader info = reader.ReadSequence();
            info.ReadInteger();
            info.ReadSequence();
            byte[] outer = info.ReadOctetString();
            try
            {
                var inner = new AsnReader(outer, AsnEncodingRules.BER);
                byte[] privateKey = inner.ReadOctetString();
                inner.ThrowIfNotEmpty();
                if (privateKey.Length != KeyLength(oid))
                {
                    CryptographicOperations.ZeroMemory(privateKey);
                    throw new CryptographicException(
                        $"The {Name(oid)} private key is {privateKey.Length} bytes, not " +
                        $"{KeyLength(oid)}.");
                }

                return privateKey;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(outer);
            }
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException(
                $"The {Name(oid)} PKCS#8 private key is malformed.", e);
        }
    }

    /// <summary>A fresh ephemeral key pair; any random string is a valid private key.</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) Generate(string keyOid)
    {
        int length = KeyLength(keyOid);
        byte[] privateKey = RandomNumberGenerator.GetBytes(length);
        var publicKey = new byte[length];
        if (keyOid == Oids.X448)
        {
            Rfc7748X448.GeneratePublicKey(privateKey, 0, publicKey, 0);
        }
        else
        {
            Rfc7748X25519.GeneratePublicKey(privateKey, 0, publicKey, 0);
        }

        return (privateKey, publicKey);
    }

    /// <summary>
    /// The shared secret, or null when it is all zeros, which a small-order public key
    /// gives and RFC 7748 §6 says to refuse.
    /// </summary>
    public static byte[]? TryAgree(string keyOid, byte[] privateKey, byte[] publicKey)
    {
        var secret = new byte[KeyLength(keyOid)];
        bool ok = keyOid == Oids.X448
            ? Rfc7748X448.CalculateAgreement(privateKey, 0, publicKey, 0, secret, 0)
            : Rfc7748X25519.CalculateAgreement(privateKey, 0, publicKey, 0, secret, 0);
        if (!ok)
        {
            CryptographicOperations.ZeroMemory(secret);
            return null;
        }

        return secret;
    }
}
