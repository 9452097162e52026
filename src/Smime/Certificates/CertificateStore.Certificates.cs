using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;

namespace Smime.Certificates;

public sealed partial class CertificateStore
{
    private const string CertificateColumns =
        "c.thumbprint, c.der, c.key_usage, c.extended_key_usages, c.trusted, "
        + "(SELECT count(*) FROM private_keys k WHERE k.thumbprint = c.thumbprint)";

    /// <summary>Adds a certificate (never its private key); an existing one is kept as it is.</summary>
    /// <returns>The stored certificate.</returns>
    public StoredCertificate Add(X509Certificate2 certificate, bool trustAnchor = false)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        return InTransaction(transaction =>
        {
            string thumbprint = AddCertificate(transaction, certificate);
            if (trustAnchor)
            {
                SetTrusted(transaction, thumbprint, true);
            }

            return Get(transaction, thumbprint)!;
        });
    }

    /// <summary>Every certificate in the store, ordered by subject then notBefore.</summary>
    public IReadOnlyList<StoredCertificate> List() => InTransaction(transaction =>
        Query(transaction, $"SELECT {CertificateColumns} FROM certificates c "
            + "ORDER BY c.subject, c.not_before;"));

    /// <summary>
    /// Finds one certificate by its SHA-256 thumbprint or a unique prefix of it (at least 8 hex
    /// digits), or by its SHA-1 thumbprint; null when none or several match.
    /// </summary>
    public StoredCertificate? Find(string thumbprint)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);

        string key = thumbprint.Replace(":", "").Trim().ToUpperInvariant();
        return InTransaction(transaction =>
        {
            IReadOnlyList<StoredCertificate> matches = key.Length >= 8
                ? Query(transaction, $"SELECT {CertificateColumns} FROM certificates c "
                    + "WHERE c.thumbprint LIKE $prefix || '%';", ("$prefix", key))
                : [];
            if (matches.Count == 0 && key.Length == 40)
            {
                matches = Query(transaction, $"SELECT {CertificateColumns} FROM certificates c;")
                    .Where(c => c.Certificate.Thumbprint == key)
                    .ToList();
            }

            return matches.Count == 1 ? matches[0] : null;
        });
    }

    /// <summary>The certificates that carry <paramref name="address"/> (domain without case).</summary>
    public IReadOnlyList<StoredCertificate> FindByAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);

        string normalized = CertificateFacts.NormalizeAddress(address);
        return InTransaction(transaction => Query(transaction,
            $"SELECT {CertificateColumns} FROM certificates c "
            + "JOIN addresses a ON a.thumbprint = c.thumbprint WHERE a.address = $address "
            + "ORDER BY c.not_before DESC;",
            ("$address", normalized)));
    }

    /// <summary>Removes a certificate and its private key; false when it was not there.</summary>
    public bool Remove(string thumbprint)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);

        return InTransaction(transaction => Execute(transaction,
            "DELETE FROM certificates WHERE thumbprint = $t;",
            ("$t", thumbprint.ToUpperInvariant())) > 0);
    }

    /// <summary>Marks a certificate as a trust anchor, or no longer one.</summary>
    /// <exception cref="CertificateStoreException">The certificate is not in the store.</exception>
    public void SetTrusted(string thumbprint, bool trusted)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);

        InTransaction(transaction =>
        {
            SetTrusted(transaction, thumbprint.ToUpperInvariant(), trusted);
            return 0;
        });
    }

    /// <summary>The certificates the user trusts as anchors.</summary>
    public X509Certificate2Collection GetTrustAnchors() => new(InTransaction(transaction =>
        Query(transaction, $"SELECT {CertificateColumns} FROM certificates c WHERE c.trusted = 1;"))
        .Select(c => c.Certificate).ToArray());

    /// <summary>Every certificate, to build chains with.</summary>
    public X509Certificate2Collection GetAllCertificates() =>
        new(List().Select(c => c.Certificate).ToArray());

    private static string AddCertificate(SqliteTransaction transaction, X509Certificate2 certificate)
    {
        string thumbprint = CertificateFacts.Thumbprint(certificate);
        int added = Execute(transaction,
            "INSERT OR IGNORE INTO certificates (thumbprint, der, subject, issuer, serial, "
            + "not_before, not_after, key_usage, extended_key_usages, trusted, added) VALUES "
            + "($t, $der, $subject, $issuer, $serial, $nb, $na, $ku, $eku, 0, $now);",
            ("$t", thumbprint),
            ("$der", certificate.RawData),
            ("$subject", certificate.Subject),
            ("$issuer", certificate.Issuer),
            ("$serial", certificate.SerialNumber),
            ("$nb", new DateTimeOffset(certificate.NotBefore.ToUniversalTime()).ToUnixTimeSeconds()),
            ("$na", new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds()),
            ("$ku", (long?)CertificateFacts.KeyUsage(certificate)),
            ("$eku", CertificateFacts.ExtendedKeyUsages(certificate) is { } ekus
                ? string.Join(',', ekus)
                : null),
            ("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        if (added == 0)
        {
            return thumbprint;
        }

        // A malformed subjectAltName stores the certificate without addresses rather than
        // refusing it: it can still be an issuer or an anchor.
        IReadOnlyList<string> addresses;
        try
        {
            addresses = CertificateAddresses.Get(certificate);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            addresses = [];
        }

        foreach (string address in addresses)
        {
            Execute(transaction,
                "INSERT OR IGNORE INTO addresses (thumbprint, address) VALUES ($t, $a);",
                ("$t", thumbprint),
                ("$a", CertificateFacts.NormalizeAddress(address)));
        }

        return thumbprint;
    }

    private static void SetTrusted(SqliteTransaction transaction, string thumbprint, bool trusted)
    {
        int changed = Execute(transaction,
            "UPDATE certificates SET trusted = $v WHERE thumbprint = $t;",
            ("$v", trusted ? 1 : 0),
            ("$t", thumbprint));
        if (changed == 0)
        {
            throw new CertificateStoreException(
                $"No certificate with thumbprint {thumbprint} is in the store.");
        }
    }

    private static StoredCertificate? Get(SqliteTransaction transaction, string thumbprint) =>
        Query(transaction, $"SELECT {CertificateColumns} FROM certificates c "
            + "WHERE c.thumbprint = $t;", ("$t", thumbprint)).FirstOrDefault();

    private static List<StoredCertificate> Query(
        SqliteTransaction transaction,
        string sql,
        params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(transaction, sql, parameters);
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<(string Thumbprint, byte[] Der, long? Ku, string? Eku, bool T, bool K)>();
        while (reader.Read())
        {
            rows.Add((
                reader.GetString(0),
                (byte[])reader.GetValue(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt64(4) != 0,
                reader.GetInt64(5) != 0));
        }

        reader.Close();
        var result = new List<StoredCertificate>(rows.Count);
        foreach (var row in rows)
        {
            List<string> addresses = [];
            using (SqliteCommand a = Command(transaction,
                "SELECT address FROM addresses WHERE thumbprint = $t ORDER BY address;",
                [("$t", row.Thumbprint)]))
            using (SqliteDataReader r = a.ExecuteReader())
            {
                while (r.Read())
                {
                    addresses.Add(r.GetString(0));
                }
            }

            result.Add(new StoredCertificate(
                row.Thumbprint,
                X509CertificateLoader.LoadCertificate(row.Der),
                addresses,
                (X509KeyUsageFlags?)row.Ku,
                row.Eku is null
                    ? null
                    : row.Eku.Split(',', StringSplitOptions.RemoveEmptyEntries),
                row.T,
                row.K));
        }

        return result;
    }
}
