using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>
/// One key a decryption may use: a certificate with its private key attached, or a
/// certificate with a PKCS#8 key beside it (<see cref="CertificateKey"/>).
/// </summary>
internal sealed record RecipientKey(X509Certificate2 Certificate, CertificateKey? RawKey)
{
    /// <summary>The key algorithm OID of the certificate's public key.</summary>
    public string KeyAlgorithm => Certificate.PublicKey.Oid.Value ?? "";

    /// <summary>The RSA private key, or null when there is none.</summary>
    /// <exception cref="CryptographicException">The PKCS#8 key is not a readable RSA
    /// key.</exception>
    public RSA? GetRsaPrivateKey()
    {
        if (RawKey is null)
        {
            return Certificate.GetRSAPrivateKey();
        }

        if (RawKey.KeyAlgorithmOid != Oids.Rsa)
        {
            return null;
        }

        RSA rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(RawKey.Pkcs8PrivateKey, out _);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>The EC private key for ECDH, or null when there is none.</summary>
    /// <exception cref="CryptographicException">The PKCS#8 key is not a readable EC
    /// key.</exception>
    public ECDiffieHellman? GetEcDiffieHellmanPrivateKey()
    {
        if (RawKey is null)
        {
            return Certificate.GetECDiffieHellmanPrivateKey();
        }

        if (RawKey.KeyAlgorithmOid != Oids.EcPublicKey)
        {
            return null;
        }

        ECDiffieHellman ecdh = ECDiffieHellman.Create();
        try
        {
            ecdh.ImportPkcs8PrivateKey(RawKey.Pkcs8PrivateKey, out _);
            return ecdh;
        }
        catch
        {
            ecdh.Dispose();
            throw;
        }
    }
}
