using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;

namespace Smime.Certificates;

public sealed partial class CertificateStore
{
    /// <summary>
    /// Stores a CRL (DER or PEM) in the cache; one imported by hand has no source. When the
    /// issuer's certificate is in the store, the CRL's signature must verify under it. The
    /// cache keeps, per issuer and source, the CRL with the latest thisUpdate.
    /// </summary>
    /// <returns>The CRL's issuer, thisUpdate and nextUpdate, as a sentence.</returns>
    /// <exception cref="CertificateStoreException">
    /// The CRL is truncated or malformed, or its signature does not verify; nothing is stored.
    /// </exception>
    public string AddCrl(byte[] crl, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(crl);

        CertificateRevocationList decoded;
        try
        {
            decoded = CertificateRevocationList.Decode(crl);
        }
        catch (CryptographicException e)
        {
            throw new CertificateStoreException(
                $"The CRL {source ?? "given"} cannot be read: {e.Message}", e);
        }

        List<StoredCertificate> issuers = List()
            .Where(c => c.Certificate.SubjectName.RawData.AsSpan()
                .SequenceEqual(decoded.Issuer.RawData))
            .ToList();
        string? failure = null;
        if (issuers.Count > 0 && !issuers.Any(i => decoded.IsSignedBy(i.Certificate, out failure)))
        {
            throw new CertificateStoreException(
                $"The CRL {source ?? "given"} is refused: {failure}");
        }

        StoreCrl(decoded, source);
        return $"CRL of '{decoded.Issuer.Name}', thisUpdate {decoded.ThisUpdate:u}, "
            + (decoded.NextUpdate is { } next ? $"nextUpdate {next:u}, " : "no nextUpdate, ")
            + $"{decoded.RevokedCount} revoked.";
    }

    internal void StoreCrl(CertificateRevocationList crl, string? source)
    {
        InTransaction(transaction =>
        {
            long? newest = Scalar<long?>(transaction,
                "SELECT max(this_update) FROM crls WHERE issuer = $i AND source IS $s;",
                ("$i", crl.Issuer.Name),
                ("$s", source));
            if (newest is { } stored && stored > crl.ThisUpdate.ToUnixTimeSeconds())
            {
                return 0;
            }

            Execute(transaction, "DELETE FROM crls WHERE issuer = $i AND source IS $s;",
                ("$i", crl.Issuer.Name),
                ("$s", source));
            return Execute(transaction,
                "INSERT INTO crls (issuer, this_update, next_update, source, der, added) "
                + "VALUES ($i, $t, $n, $s, $d, $now);",
                ("$i", crl.Issuer.Name),
                ("$t", crl.ThisUpdate.ToUnixTimeSeconds()),
                ("$n", crl.NextUpdate?.ToUnixTimeSeconds()),
                ("$s", source),
                ("$d", crl.Encoded),
                ("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        });
    }

    /// <summary>The cached CRLs of an issuer, newest first; malformed rows are skipped.</summary>
    internal IReadOnlyList<(CertificateRevocationList Crl, string? Source)> GetCrls(
        X500DistinguishedName issuer)
    {
        List<(byte[] Der, string? Source)> rows = InTransaction(transaction =>
        {
            using SqliteCommand command = Command(transaction,
                "SELECT der, source FROM crls WHERE issuer = $i ORDER BY this_update DESC;",
                [("$i", issuer.Name)]);
            using SqliteDataReader reader = command.ExecuteReader();
            var result = new List<(byte[], string?)>();
            while (reader.Read())
            {
                string? source = reader.IsDBNull(1) ? null : reader.GetString(1);
                result.Add(((byte[])reader.GetValue(0), source));
            }

            return result;
        });

        var crls = new List<(CertificateRevocationList, string?)>();
        foreach ((byte[] der, string? source) in rows)
        {
            try
            {
                crls.Add((CertificateRevocationList.Decode(der), source));
            }
            catch (CryptographicException)
            {
                // Checked on the way in; a damaged row is as good as no CRL.
            }
        }

        return crls;
    }
}
