using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Smime.Cms;

namespace Smime.Certificates;

// Ed25519, X25519 and X448 identities (RFC 8410). .NET attaches none of them to an
// X509Certificate2 and cannot export them as an EncryptedPrivateKeyInfo through a key object,
// so their PKCS#8 is encrypted as a structure: Pkcs8PrivateKeyInfo.Encrypt (System.Security.
// Cryptography.Pkcs) makes the same PBES2 AES-256-CBC / PBKDF2-HMAC-SHA256 EncryptedPrivateKeyInfo
// (RFC 8018, RFC 5958) as the RSA and EC keys get. No BouncyCastle for the encryption.
public sealed partial class CertificateStore
{
    /// <summary>
    /// Whether the certificate's private key is one .NET cannot attach (Ed25519, X25519,
    /// X448): take it with <see cref="GetCertificateKey"/> instead of
    /// <see cref="GetCertificateWithKey"/>.
    /// </summary>
    public static bool NeedsCertificateKey(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return CurveKeys.IsCurveKey(certificate);
    }

    /// <summary>
    /// Stores an Ed25519, X25519 or X448 certificate with its PKCS#8 private key, encrypted
    /// under <paramref name="passphrase"/> (PBES2: AES-256-CBC, PBKDF2 with HMAC-SHA256).
    /// </summary>
    /// <exception cref="CertificateStoreException">The key does not belong to the certificate.
    /// </exception>
    public StoredCertificate AddWithPrivateKey(CertificateKey key, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        if (!CurveKeys.Matches(key.Certificate, key.Pkcs8PrivateKey))
        {
            throw new CertificateStoreException(
                $"The private key ({key.KeyAlgorithmOid}) is not the key of the certificate "
                + $"'{key.Certificate.Subject}'.");
        }

        byte[] encrypted = EncryptPkcs8(key.Pkcs8PrivateKey, passphrase);
        return InTransaction(transaction =>
        {
            string thumbprint = AddCertificate(transaction, key.Certificate);
            StoreKey(transaction, thumbprint, Pkcs8Format, encrypted);
            return Get(transaction, thumbprint)!;
        });
    }

    /// <summary>
    /// Opens the stored private key of a certificate with <paramref name="passphrase"/> and
    /// returns it as PKCS#8 beside the certificate; for any key type, and the only way for
    /// Ed25519, X25519 and X448. The caller disposes it (which zeroes the key).
    /// </summary>
    /// <exception cref="CertificateStoreException">
    /// The certificate or its key is not in the store, or the passphrase does not open it.
    /// </exception>
    public CertificateKey GetCertificateKey(string thumbprint, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        ArgumentNullException.ThrowIfNull(passphrase);

        StoredCertificate stored = Find(thumbprint)
            ?? throw new CertificateStoreException(
                $"No certificate with thumbprint {thumbprint} is in the store.");
        (string format, byte[] data) = ReadStoredKey(stored);
        try
        {
            byte[] pkcs8 = format == Pkcs12Format
                ? Pkcs12Key(stored.Certificate, data, passphrase)
                    ?? throw new CertificateStoreException(
                        $"The stored PKCS#12 of '{stored.Subject}' holds no key for it.")
                : Pkcs8PrivateKeyInfo.DecryptAndDecode(passphrase, data, out _).Encode();
            try
            {
                return new CertificateKey(
                    X509CertificateLoader.LoadCertificate(stored.Certificate.RawData), pkcs8);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
        catch (CryptographicException e)
        {
            throw new CertificateStoreException(
                $"The passphrase does not open the private key of '{stored.Subject}'.", e);
        }
    }

    private (string Format, byte[] Data) ReadStoredKey(StoredCertificate stored)
    {
        (string format, byte[] data) = InTransaction(transaction =>
        {
            using SqliteCommand command = Command(transaction,
                "SELECT format, data FROM private_keys WHERE thumbprint = $t;",
                [("$t", stored.Thumbprint)]);
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read()
                ? (reader.GetString(0), (byte[])reader.GetValue(1))
                : (string.Empty, Array.Empty<byte>());
        });
        return format.Length > 0
            ? (format, data)
            : throw new CertificateStoreException(
                $"The store holds no private key for '{stored.Subject}'.");
    }

    private byte[] EncryptPkcs8(ReadOnlySpan<byte> pkcs8, string passphrase)
    {
        byte[] copy = pkcs8.ToArray();
        try
        {
            Pkcs8PrivateKeyInfo info = Pkcs8PrivateKeyInfo.Decode(copy, out _, skipCopy: true);
            var pbe = new PbeParameters(
                PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Pbkdf2Iterations);
            return info.Encrypt(passphrase, pbe);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    // A PEM "PRIVATE KEY" or "ENCRYPTED PRIVATE KEY" for one of the curve certificates: the
    // certificate and the key encrypted for the store, or null when it matches none.
    private (X509Certificate2, string, byte[])? MatchCurvePemKey(
        string label,
        byte[] der,
        string passphrase,
        List<X509Certificate2> certificates)
    {
        if (!certificates.Any(CurveKeys.IsCurveKey)
            || label is not ("PRIVATE KEY" or "ENCRYPTED PRIVATE KEY"))
        {
            return null;
        }

        byte[] pkcs8;
        try
        {
            pkcs8 = label == "PRIVATE KEY"
                ? der.ToArray()
                : Pkcs8PrivateKeyInfo.DecryptAndDecode(passphrase, der, out _).Encode();
        }
        catch (CryptographicException)
        {
            return null;
        }

        try
        {
            X509Certificate2? owner = certificates.FirstOrDefault(c => CurveKeys.Matches(c, pkcs8));
            return owner is null ? null : (owner, Pkcs8Format, EncryptPkcs8(pkcs8, passphrase));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    // .NET's PKCS#12 loader leaves Ed25519 and X25519 keys behind, so the bags are read with
    // Pkcs12Info (RFC 7292), the MAC checked first; the key matching the certificate is
    // returned as a PrivateKeyInfo, or null.
    private static byte[]? Pkcs12Key(X509Certificate2 certificate, byte[] pkcs12, string passphrase)
    {
        foreach (byte[] pkcs8 in Pkcs12Keys(pkcs12, passphrase))
        {
            if (CurveKeys.Matches(certificate, pkcs8))
            {
                return pkcs8;
            }

            CryptographicOperations.ZeroMemory(pkcs8);
        }

        return null;
    }

    private static List<byte[]> Pkcs12Keys(byte[] pkcs12, string passphrase)
    {
        Pkcs12Info info = Pkcs12Info.Decode(pkcs12, out _, skipCopy: true);
        if (info.IntegrityMode == Pkcs12IntegrityMode.Password && !info.VerifyMac(passphrase))
        {
            throw new CryptographicException("The PKCS#12 MAC does not verify: wrong passphrase.");
        }

        var keys = new List<byte[]>();
        foreach (Pkcs12SafeContents contents in info.AuthenticatedSafe)
        {
            if (contents.ConfidentialityMode == Pkcs12ConfidentialityMode.Password)
            {
                contents.Decrypt(passphrase);
            }

            foreach (Pkcs12SafeBag bag in contents.GetBags())
            {
                if (bag is Pkcs12ShroudedKeyBag shrouded)
                {
                    keys.Add(Pkcs8PrivateKeyInfo.DecryptAndDecode(
                        passphrase, shrouded.EncryptedPkcs8PrivateKey, out _).Encode());
                }
                else if (bag is Pkcs12KeyBag plain)
                {
                    keys.Add(plain.Pkcs8PrivateKey.ToArray());
                }
            }
        }

        return keys;
    }

    // Curve certificates of a PKCS#12 that the loader gave without their key: their keys are
    // read from the bags and stored as encrypted PKCS#8 (never the PKCS#12 as given, since
    // .NET could not open it again as an identity).
    private void AddPkcs12CurveKeys(
        byte[] data,
        string passphrase,
        IEnumerable<X509Certificate2> loaded,
        List<(X509Certificate2, string, byte[])> keys)
    {
        List<X509Certificate2> curves = loaded
            .Where(c => !c.HasPrivateKey && CurveKeys.IsCurveKey(c))
            .ToList();
        if (curves.Count == 0)
        {
            return;
        }

        List<byte[]> found = Pkcs12Keys(data, passphrase);
        try
        {
            foreach (X509Certificate2 certificate in curves)
            {
                if (found.FirstOrDefault(k => CurveKeys.Matches(certificate, k)) is { } pkcs8)
                {
                    keys.Add((certificate, Pkcs8Format, EncryptPkcs8(pkcs8, passphrase)));
                }
            }
        }
        finally
        {
            foreach (byte[] pkcs8 in found)
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
    }

    // The whole PKCS#12 read bag by bag (RFC 7292 §4.2), for files whose Ed25519 or X25519 key
    // makes .NET's loader refuse them; false when it holds no such key, so the loader's own
    // error stands. Keys of other types found beside them are stored as the loader would.
    private bool TryDecodePkcs12Bags(
        byte[] data,
        string passphrase,
        List<X509Certificate2> certificates,
        List<(X509Certificate2, string, byte[])> keys)
    {
        var found = new List<X509Certificate2>();
        List<byte[]> pkcs8s;
        try
        {
            Pkcs12Info info = Pkcs12Info.Decode(data, out _, skipCopy: true);
            if (info.IntegrityMode == Pkcs12IntegrityMode.Password && !info.VerifyMac(passphrase))
            {
                return false;
            }

            foreach (Pkcs12SafeContents contents in info.AuthenticatedSafe)
            {
                if (contents.ConfidentialityMode == Pkcs12ConfidentialityMode.Password)
                {
                    contents.Decrypt(passphrase);
                }

                found.AddRange(contents.GetBags().OfType<Pkcs12CertBag>()
                    .Where(bag => bag.IsX509Certificate)
                    .Select(bag => bag.GetCertificate()));
            }

            pkcs8s = Pkcs12Keys(data, passphrase);
        }
        catch (CryptographicException)
        {
            found.ForEach(c => c.Dispose());
            return false;
        }

        try
        {
            if (!found.Any(c => pkcs8s.Any(k => CurveKeys.Matches(c, k))))
            {
                found.ForEach(c => c.Dispose());
                return false;
            }

            foreach (X509Certificate2 certificate in found)
            {
                certificates.Add(certificate);
                if (pkcs8s.FirstOrDefault(k => CurveKeys.Matches(certificate, k)) is { } curve)
                {
                    keys.Add((certificate, Pkcs8Format, EncryptPkcs8(curve, passphrase)));
                    continue;
                }

                foreach (byte[] pkcs8 in pkcs8s.Where(
                    _ => certificate.PublicKey.Oid.Value is Oids.Rsa or Oids.EcPublicKey))
                {
                    using AsymmetricAlgorithm? key =
                        TryLoadKey(certificate, "PRIVATE KEY", pkcs8, passphrase);
                    if (key is not null)
                    {
                        using X509Certificate2 withKey = key is RSA rsa
                            ? certificate.CopyWithPrivateKey(rsa)
                            : certificate.CopyWithPrivateKey((ECDsa)key);
                        keys.Add((certificate, Pkcs8Format, EncryptPrivateKey(withKey, passphrase)));
                        break;
                    }
                }
            }

            return true;
        }
        finally
        {
            pkcs8s.ForEach(k => CryptographicOperations.ZeroMemory(k));
        }
    }
}
