using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Rfc7748X25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;
using Rfc7748X448 = Org.BouncyCastle.Math.EC.Rfc7748.X448;

namespace Smime.Certificates;

/// <summary>
/// Ed25519, X25519 and X448 keys (RFC 8410), which .NET cannot attach to a certificate: they
/// travel as PKCS#8 beside it (<see cref="CertificateKey"/>). BouncyCastle derives the public
/// key, only to match a private key with its certificate.
/// </summary>
internal static class CurveKeys
{
    /// <summary>Whether the certificate's key is one that .NET cannot attach.</summary>
    public static bool IsCurveKey(X509Certificate2 certificate) =>
        certificate.PublicKey.Oid.Value is Oids.Ed25519 or Oids.X25519 or Oids.X448;

    /// <summary>
    /// Whether the PKCS#8 PrivateKeyInfo is the private key of the certificate: the same
    /// algorithm, and the public key it derives is the certificate's.
    /// </summary>
    public static bool Matches(X509Certificate2 certificate, ReadOnlySpan<byte> pkcs8)
    {
        if (!IsCurveKey(certificate))
        {
            return false;
        }

        try
        {
            using var key = new CertificateKey(certificate, pkcs8);
            if (key.KeyAlgorithmOid != certificate.PublicKey.Oid.Value)
            {
                return false;
            }

            byte[] ours = key.KeyAlgorithmOid == Oids.Ed25519
                ? Ed25519Signatures.PublicKeyOf(pkcs8)
                : MontgomeryPublicKey(key);
            byte[] theirs = certificate.PublicKey.EncodedKeyValue.RawData;
            return CryptographicOperations.FixedTimeEquals(ours, theirs);
        }
        catch (CryptographicException)
        {
            // Not a key of this kind at all.
            return false;
        }
    }

    private static byte[] MontgomeryPublicKey(CertificateKey key)
    {
        byte[] privateKey = MontgomeryKey.PrivateKeyOf(key);
        try
        {
            var publicKey = new byte[MontgomeryKey.KeyLength(key.KeyAlgorithmOid)];
            if (key.KeyAlgorithmOid == Oids.X448)
            {
                Rfc7748X448.GeneratePublicKey(privateKey, 0, publicKey, 0);
            }
            else
            {
                Rfc7748X25519.GeneratePublicKey(privateKey, 0, publicKey, 0);
            }

            return publicKey;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }
}
