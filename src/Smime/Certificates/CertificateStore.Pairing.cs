using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;

namespace Smime.Certificates;

// One key pair may carry several certificates: a signing and an encryption certificate issued
// from the same CSR (CA/B S/MIME BR §7.1.2.3 strict profiles split the key usages), or a
// renewal of the same key. Each certificate gets its own private_keys row holding the same
// encrypted bytes, so nothing is decrypted and the key's passphrase stays the one it had.
public sealed partial class CertificateStore
{
    /// <summary>
    /// Pairs a certificate with the store's key of the same public key: the key
    /// <c>smime key new</c> left waiting for it (the waiting entry then goes), else a key
    /// already paired with another certificate (it stays paired there too). The certificate is
    /// stored, and the key, still encrypted, becomes its private key, in one transaction. No
    /// passphrase is needed: the key is never decrypted.
    /// </summary>
    /// <exception cref="CertificateStoreException">No key in the store has this public key.
    /// </exception>
    public StoredCertificate PairWithKey(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        return InTransaction(transaction =>
        {
            string? thumbprint = PairInTransaction(transaction, certificate);
            return thumbprint is null
                ? throw new CertificateStoreException(
                    $"No key in the store has the public key of '{certificate.Subject}': none "
                    + "waits for it ('smime key list') and no stored certificate has it. Was "
                    + "its CSR made by 'smime key new' with this store?")
                : Get(transaction, thumbprint)!;
        });
    }

    // Stores the certificate with the key of its public key, when the store has one: pending,
    // else paired with another certificate; the thumbprint, or null when no key matches.
    private string? PairInTransaction(SqliteTransaction transaction, X509Certificate2 certificate)
    {
        byte[] publicKeyInfo = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        string hash = PublicKeyHash(publicKeyInfo);
        EnsureAuthoritySchema(transaction);
        byte[]? pending = Scalar<byte[]?>(transaction,
            "SELECT data FROM pending_keys WHERE public_key_sha256 = $h;", ("$h", hash));
        if (pending is not null)
        {
            string paired = AddCertificate(transaction, certificate);
            StoreKey(transaction, paired, Pkcs8Format, pending);
            Execute(transaction, "DELETE FROM pending_keys WHERE public_key_sha256 = $h;",
                ("$h", hash));
            return paired;
        }

        (string Format, byte[] Data)? stored = FindKeyOf(transaction, publicKeyInfo);
        if (stored is not { } key)
        {
            return null;
        }

        string thumbprint = AddCertificate(transaction, certificate);
        StoreKey(transaction, thumbprint, key.Format, key.Data);
        return thumbprint;
    }

    // The stored key (format and encrypted bytes) of another certificate with the same
    // SubjectPublicKeyInfo, or null. Keyed certificates are few (one's own), so they are
    // compared here rather than indexed.
    private static (string Format, byte[] Data)? FindKeyOf(
        SqliteTransaction transaction,
        byte[] publicKeyInfo)
    {
        using SqliteCommand command = Command(transaction,
            "SELECT c.der, k.format, k.data FROM certificates c "
            + "JOIN private_keys k ON k.thumbprint = c.thumbprint ORDER BY c.added;", []);
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            using X509Certificate2 holder =
                X509CertificateLoader.LoadCertificate((byte[])reader.GetValue(0));
            if (holder.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKeyInfo))
            {
                return (reader.GetString(1), (byte[])reader.GetValue(2));
            }
        }

        return null;
    }

    // Certificates imported without a key whose key the store already holds (waiting or
    // paired) are paired with it, as `smime key import-cert` would.
    private void PairImported(
        SqliteTransaction transaction,
        IEnumerable<X509Certificate2> certificates)
    {
        foreach (X509Certificate2 certificate in certificates)
        {
            string thumbprint = CertificateFacts.Thumbprint(certificate);
            bool hasKey = Scalar<long>(transaction,
                "SELECT count(*) FROM private_keys WHERE thumbprint = $t;", ("$t", thumbprint)) > 0;
            if (!hasKey)
            {
                PairInTransaction(transaction, certificate);
            }
        }
    }
}
