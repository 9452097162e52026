using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Org.BouncyCastle.Pkcs;
using Smime.Cms;

namespace Smime.Certificates;

public static partial class CertificateLoader
{
    /// <summary>
    /// Loads an identity as <see cref="LoadIdentity"/> does, and also one whose PEM key
    /// ("PRIVATE KEY" or "ENCRYPTED PRIVATE KEY", PKCS#8) is Ed25519, X25519 or X448
    /// (RFC 8410): .NET cannot attach those to a certificate, so they come back beside it
    /// as a <see cref="CertificateKey"/>.
    /// </summary>
    /// <exception cref="CertificateLoadException">A file is missing, unreadable, encrypted
    /// under another password, or holds no key matching a certificate.</exception>
    public static LoadedIdentity LoadIdentityOrKey(
        string certificatePath,
        string? keyPath = null,
        string? password = null)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        byte[] data = ReadFile(certificatePath);
        string keyName = keyPath ?? certificatePath;
        byte[] keyData = keyPath is null ? data : ReadFile(keyPath);
        byte[]? pkcs8 = IsPem(keyData) ? ReadPkcs8(keyData, keyName, password) : null;
        try
        {
            string? oid = pkcs8 is null ? null : KeyAlgorithm(pkcs8);
            if (oid is not (Oids.Ed25519 or Oids.X25519 or Oids.X448))
            {
                return new LoadedIdentity(
                    LoadIdentity(certificatePath, keyPath, password), null);
            }

            byte[] publicKey = RawPublicKey(oid, pkcs8!, keyName);
            foreach (X509Certificate2 candidate in
                LoadCertificates(data, certificatePath, password))
            {
                if (candidate.PublicKey.Oid.Value == oid
                    && CryptographicOperations.FixedTimeEquals(
                        candidate.PublicKey.EncodedKeyValue.RawData, publicKey))
                {
                    return new LoadedIdentity(candidate, new CertificateKey(candidate, pkcs8));
                }
            }

            throw new CertificateLoadException(keyName,
                "the private key does not match the certificate, or cannot be read.");
        }
        finally
        {
            if (pkcs8 is not null)
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
    }

    /// <summary>The first PKCS#8 key of a PEM file, decrypted; null when it has none.</summary>
    private static byte[]? ReadPkcs8(byte[] pem, string keyName, string? password)
    {
        string text = Encoding.Latin1.GetString(pem);
        ReadOnlySpan<char> rest = text;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            ReadOnlySpan<char> label = rest[fields.Label];
            string base64 = rest[fields.Base64Data].ToString();
            rest = rest[fields.Location.End.Value..];
            if (label.SequenceEqual("PRIVATE KEY"))
            {
                return Convert.FromBase64String(base64);
            }

            if (label.SequenceEqual("ENCRYPTED PRIVATE KEY"))
            {
                return password is null
                    ? null
                    : Decrypt(Convert.FromBase64String(base64), keyName, password);
            }
        }

        return null;
    }

    private static byte[] Decrypt(byte[] encrypted, string keyName, string password)
    {
        // .NET decrypts PKCS#8 (RFC 5958 §3) only into a key type it knows; BouncyCastle
        // decrypts it for any algorithm (PBES2, RFC 8018).
        char[] secret = password.ToCharArray();
        try
        {
            EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.GetInstance(encrypted);
            return PrivateKeyInfoFactory.CreatePrivateKeyInfo(secret, info).GetEncoded();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CertificateLoadException(
                keyName, "wrong password, or the key does not match the certificate.", e);
        }
        finally
        {
            Array.Clear(secret);
        }
    }

    private static string? KeyAlgorithm(byte[] pkcs8)
    {
        try
        {
            var reader = new AsnReader(pkcs8, AsnEncodingRules.BER);
            AsnReader info = reader.ReadSequence();
            info.ReadInteger();
            return info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>The public key of an RFC 8410 private key, to find its certificate with.</summary>
    private static byte[] RawPublicKey(string oid, byte[] pkcs8, string keyName)
    {
        byte[]? privateKey = null;
        try
        {
            // RFC 8410 §7: privateKey is an OCTET STRING holding CurvePrivateKey (OCTET STRING).
            var reader = new AsnReader(pkcs8, AsnEncodingRules.BER);
            AsnReader info = reader.ReadSequence();
            info.ReadInteger();
            info.ReadSequence();
            byte[] outer = info.ReadOctetString();
            try
            {
                privateKey = new AsnReader(outer, AsnEncodingRules.BER).ReadOctetString();
            }
            finally
            {
                CryptographicOperations.ZeroMemory(outer);
            }

            int length = oid == Oids.X448 ? 56 : 32;
            if (privateKey.Length != length)
            {
                throw new CertificateLoadException(
                    keyName, $"holds a private key of {privateKey.Length} bytes, not {length}.");
            }

            var publicKey = new byte[length];
            switch (oid)
            {
                case Oids.Ed25519:
                    Ed25519.GeneratePublicKey(privateKey, 0, publicKey, 0);
                    break;
                case Oids.X448:
                    X448.GeneratePublicKey(privateKey, 0, publicKey, 0);
                    break;
                default:
                    X25519.GeneratePublicKey(privateKey, 0, publicKey, 0);
                    break;
            }

            return publicKey;
        }
        catch (AsnContentException e)
        {
            throw new CertificateLoadException(keyName, "holds a malformed PKCS#8 private key.", e);
        }
        finally
        {
            if (privateKey is not null)
            {
                CryptographicOperations.ZeroMemory(privateKey);
            }
        }
    }
}
