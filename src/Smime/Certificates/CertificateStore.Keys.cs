using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Smime.Cms;

namespace Smime.Certificates;

public sealed partial class CertificateStore
{
    private const string Pkcs8Format = "pkcs8-encrypted";
    private const string Pkcs12Format = "pkcs12";

    /// <summary>
    /// Stores a certificate with its private key, the key as an encrypted PKCS#8 (AES-256-CBC,
    /// PBKDF2 with HMAC-SHA256, RFC 8018) under <paramref name="passphrase"/>; replaces a key
    /// stored before for the same certificate.
    /// </summary>
    /// <exception cref="NotSupportedException">The key is neither RSA nor EC.</exception>
    public StoredCertificate AddWithPrivateKey(X509Certificate2 certificate, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);

        byte[] encrypted = EncryptPrivateKey(certificate, passphrase);
        return InTransaction(transaction =>
        {
            string thumbprint = AddCertificate(transaction, certificate);
            StoreKey(transaction, thumbprint, Pkcs8Format, encrypted);
            return Get(transaction, thumbprint)!;
        });
    }

    /// <summary>
    /// Opens the stored private key of a certificate with <paramref name="passphrase"/> and
    /// returns the certificate with the key attached.
    /// </summary>
    /// <exception cref="CertificateStoreException">
    /// The certificate or its key is not in the store, or the passphrase does not open it.
    /// </exception>
    public X509Certificate2 GetCertificateWithKey(string thumbprint, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        ArgumentNullException.ThrowIfNull(passphrase);

        StoredCertificate stored = Find(thumbprint)
            ?? throw new CertificateStoreException(
                $"No certificate with thumbprint {thumbprint} is in the store.");
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
        if (format.Length == 0)
        {
            throw new CertificateStoreException(
                $"The store holds no private key for '{stored.Subject}'.");
        }

        try
        {
            return format == Pkcs12Format
                ? FromPkcs12(stored, data, passphrase)
                : AttachPkcs8(stored.Certificate, data, passphrase);
        }
        catch (CryptographicException e)
        {
            throw new CertificateStoreException(
                $"The passphrase does not open the private key of '{stored.Subject}'.", e);
        }
    }

    /// <summary>
    /// The newest certificate for <paramref name="address"/> whose private key is stored and
    /// that may sign mail (keyUsage and EKU, RFC 8550 §4.4) and is valid at the given time.
    /// </summary>
    public StoredCertificate? FindSigningCertificate(string address, DateTimeOffset? at = null)
    {
        DateTimeOffset time = at ?? DateTimeOffset.UtcNow;
        return FindByAddress(address)
            .Where(c => c.HasPrivateKey
                && CertificateFacts.IsValidAt(c.Certificate, time)
                && CertificateFacts.IsSigningCapable(c.Certificate))
            .OrderByDescending(c => c.NotBefore)
            .FirstOrDefault();
    }

    /// <summary>
    /// The newest certificate for <paramref name="address"/> whose private key is stored and
    /// that may carry a content-encryption key (keyUsage and EKU, RFC 8550 §4.4.2) and is
    /// valid at the given time: one's own encryption certificate.
    /// </summary>
    public StoredCertificate? FindEncryptionCertificate(string address, DateTimeOffset? at = null)
    {
        DateTimeOffset time = at ?? DateTimeOffset.UtcNow;
        return FindByAddress(address)
            .Where(c => c.HasPrivateKey
                && CertificateFacts.IsValidAt(c.Certificate, time)
                && CertificateFacts.IsEncryptionCapable(c.Certificate, out _))
            .OrderByDescending(c => c.NotBefore)
            .FirstOrDefault();
    }

    private byte[] EncryptPrivateKey(X509Certificate2 certificate, string passphrase)
    {
        var pbe = new PbeParameters(
            PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Pbkdf2Iterations);
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey()
            ?? (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
            ?? (AsymmetricAlgorithm?)certificate.GetECDiffieHellmanPrivateKey()
            ?? throw new NotSupportedException(
                $"The private key of '{certificate.Subject}' (algorithm "
                + $"{certificate.PublicKey.Oid.Value}) cannot be stored: only RSA and EC keys are.");
        return key.ExportEncryptedPkcs8PrivateKey(passphrase, pbe);
    }

    private static X509Certificate2 AttachPkcs8(
        X509Certificate2 certificate,
        byte[] encrypted,
        string passphrase)
    {
        switch (certificate.PublicKey.Oid.Value)
        {
            case Oids.Rsa:
                using (RSA rsa = RSA.Create())
                {
                    rsa.ImportEncryptedPkcs8PrivateKey(passphrase, encrypted, out _);
                    return certificate.CopyWithPrivateKey(rsa);
                }

            case Oids.EcPublicKey:
                using (ECDsa ec = ECDsa.Create())
                {
                    ec.ImportEncryptedPkcs8PrivateKey(passphrase, encrypted, out _);
                    return certificate.CopyWithPrivateKey(ec);
                }

            default:
                throw new NotSupportedException(
                    $"Keys of algorithm {certificate.PublicKey.Oid.Value} cannot be attached.");
        }
    }

    private static X509Certificate2 FromPkcs12(
        StoredCertificate stored,
        byte[] pkcs12,
        string passphrase)
    {
        X509Certificate2Collection all = X509CertificateLoader.LoadPkcs12Collection(
            pkcs12, passphrase, X509KeyStorageFlags.Exportable, Pkcs12Limits);
        X509Certificate2? match = all.FirstOrDefault(
            c => c.HasPrivateKey && CertificateFacts.Thumbprint(c) == stored.Thumbprint);

        // A PKCS#12 kept as given may serve a second certificate of the same key (see
        // PairWithKey): its key is then attached to that certificate.
        X509Certificate2? sameKey = match is null
            ? all.FirstOrDefault(c => c.HasPrivateKey && SamePublicKey(c, stored.Certificate))
            : null;
        try
        {
            if (sameKey is not null)
            {
                match = AttachKeyOf(sameKey, stored.Certificate);
            }
        }
        finally
        {
            foreach (X509Certificate2 other in all.Where(c => !ReferenceEquals(c, match)))
            {
                other.Dispose();
            }
        }

        return match ?? throw new CertificateStoreException(
            $"The stored PKCS#12 of '{stored.Subject}' holds no key for it.");
    }

    private static bool SamePublicKey(X509Certificate2 a, X509Certificate2 b) =>
        a.PublicKey.ExportSubjectPublicKeyInfo().AsSpan()
            .SequenceEqual(b.PublicKey.ExportSubjectPublicKeyInfo());

    private static X509Certificate2 AttachKeyOf(X509Certificate2 holder, X509Certificate2 target)
    {
        X509Certificate2 copy = X509CertificateLoader.LoadCertificate(target.RawData);
        using (copy)
        {
            if (holder.GetRSAPrivateKey() is { } rsa)
            {
                using (rsa)
                {
                    return copy.CopyWithPrivateKey(rsa);
                }
            }

            if (holder.GetECDsaPrivateKey() is { } ecdsa)
            {
                using (ecdsa)
                {
                    return copy.CopyWithPrivateKey(ecdsa);
                }
            }

            using ECDiffieHellman ecdh = holder.GetECDiffieHellmanPrivateKey()
                ?? throw new CertificateStoreException(
                    $"The stored PKCS#12 key of '{target.Subject}' is neither RSA nor EC.");
            return copy.CopyWithPrivateKey(ecdh);
        }
    }

    private static void StoreKey(
        SqliteTransaction transaction,
        string thumbprint,
        string format,
        byte[] data)
    {
        Execute(transaction,
            "INSERT OR REPLACE INTO private_keys (thumbprint, format, data) "
            + "VALUES ($t, $f, $d);",
            ("$t", thumbprint),
            ("$f", format),
            ("$d", data));
    }
}
