using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;

namespace Smime.Certificates;

public sealed partial class CertificateStore
{
    // OCSP responses (RFC 6960) as fetched, one per certificate: keyed by the SHA-256 of the
    // issuer's SubjectPublicKeyInfo (a name alone does not tell two issuer keys apart) and
    // the serial in hex. Created on open when missing, so stores made before it gain it.
    private const string OcspSchema = """
        CREATE TABLE IF NOT EXISTS ocsp_responses (
            issuer_key TEXT NOT NULL,
            serial TEXT NOT NULL,
            this_update INTEGER NOT NULL,
            next_update INTEGER NOT NULL,
            source TEXT NOT NULL,
            der BLOB NOT NULL,
            added INTEGER NOT NULL,
            PRIMARY KEY (issuer_key, serial));
        """;

    // False only for a store made before the table that cannot be written: it opens all the
    // same (as for reading in a read-only folder) and keeps no OCSP responses.
    private bool _hasOcspTable;

    /// <summary>
    /// Keeps the OCSP response about <paramref name="certificate"/>, already checked by the
    /// caller, until its nextUpdate; of two for one certificate the later thisUpdate stays.
    /// </summary>
    internal void StoreOcspResponse(
        X509Certificate2 certificate,
        X509Certificate2 issuer,
        byte[] encoded,
        DateTimeOffset thisUpdate,
        DateTimeOffset nextUpdate,
        string source)
    {
        if (!_hasOcspTable)
        {
            return;
        }

        InTransaction(transaction => Execute(transaction,
            "INSERT INTO ocsp_responses "
            + "(issuer_key, serial, this_update, next_update, source, der, added) "
            + "VALUES ($k, $s, $t, $n, $u, $d, $now) "
            + "ON CONFLICT (issuer_key, serial) DO UPDATE SET "
            + "this_update = excluded.this_update, next_update = excluded.next_update, "
            + "source = excluded.source, der = excluded.der, added = excluded.added "
            + "WHERE excluded.this_update >= ocsp_responses.this_update;",
            ("$k", OcspIssuerKey(issuer)),
            ("$s", certificate.SerialNumber),
            ("$t", thisUpdate.ToUnixTimeSeconds()),
            ("$n", nextUpdate.ToUnixTimeSeconds()),
            ("$u", source),
            ("$d", encoded),
            ("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds())));
    }

    /// <summary>
    /// The cached OCSP response about <paramref name="certificate"/> and the URL it came from,
    /// or null. Nothing is checked: the caller verifies it as if it were fresh.
    /// </summary>
    internal (byte[] Encoded, string Source)? GetOcspResponse(
        X509Certificate2 certificate,
        X509Certificate2 issuer)
    {
        if (!_hasOcspTable)
        {
            return null;
        }

        return InTransaction<(byte[], string)?>(transaction =>
        {
            using SqliteCommand command = Command(transaction,
                "SELECT der, source FROM ocsp_responses WHERE issuer_key = $k AND serial = $s;",
                [("$k", OcspIssuerKey(issuer)), ("$s", certificate.SerialNumber)]);
            using SqliteDataReader reader = command.ExecuteReader();
            // A row that is not a blob and a text (a damaged store) is no answer.
            return reader.Read() && reader.GetValue(0) is byte[] der
                && reader.GetValue(1) is string source
                ? (der, source)
                : null;
        });
    }

    // Runs on open, after the schema version is settled. A store that cannot be written
    // (SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN) is still read, without the cache.
    private void EnsureOcspSchema()
    {
        using (SqliteCommand probe = _connection.CreateCommand())
        {
            probe.CommandText = "SELECT count(*) FROM sqlite_master "
                + "WHERE type = 'table' AND name = 'ocsp_responses';";
            if ((long)probe.ExecuteScalar()! > 0)
            {
                _hasOcspTable = true;
                return;
            }
        }

        try
        {
            Execute(_connection, OcspSchema);
            _hasOcspTable = true;
        }
        catch (SqliteException e)
            when (e.SqliteErrorCode is SqlitePerm or SqliteReadOnly or SqliteCantOpen)
        {
        }
    }

    private static string OcspIssuerKey(X509Certificate2 issuer) =>
        PublicKeyHash(issuer.PublicKey.ExportSubjectPublicKeyInfo());
}
