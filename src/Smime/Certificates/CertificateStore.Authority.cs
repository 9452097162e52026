using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;

namespace Smime.Certificates;

public sealed partial class CertificateStore
{
    // Tables of `smime key` and `smime ca`, created on first use so stores of schema version
    // 1 gain them without a migration. Serials are spent in ca_issued before anything is
    // signed (state 'reserved'), so a crash mid-issue leaves the serial spent, never free.
    // ca_authority.ocsp_url came later: AddedAuthorityColumns adds it to older stores.
    private const string AuthoritySchema = """
        CREATE TABLE IF NOT EXISTS pending_keys (
            public_key_sha256 TEXT PRIMARY KEY,
            address TEXT NOT NULL,
            subject TEXT NOT NULL,
            data BLOB NOT NULL,
            created INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS ca_authority (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            issuer_thumbprint TEXT NOT NULL,
            root_thumbprint TEXT NOT NULL,
            crl_url TEXT,
            crl_number INTEGER NOT NULL DEFAULT 0,
            created INTEGER NOT NULL,
            ocsp_url TEXT);
        CREATE TABLE IF NOT EXISTS ca_issued (
            serial TEXT PRIMARY KEY,
            issuer_thumbprint TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('reserved', 'issued', 'revoked')),
            profile TEXT NOT NULL,
            subject TEXT NOT NULL,
            address TEXT,
            not_before INTEGER NOT NULL,
            not_after INTEGER NOT NULL,
            der BLOB,
            reserved INTEGER NOT NULL,
            revoked INTEGER,
            reason INTEGER);
        """;

    // Columns added to ca_authority after its first release, each with the ALTER TABLE that
    // adds it to a store made before (SQLite adds a nullable column without a rewrite).
    private static readonly (string Column, string Sql)[] s_addedAuthorityColumns =
    [
        ("ocsp_url", "ALTER TABLE ca_authority ADD COLUMN ocsp_url TEXT;"),
    ];

    private const string IssuedColumns =
        "serial, issuer_thumbprint, state, profile, subject, address, not_before, not_after, "
        + "der, revoked, reason";

    /// <summary>
    /// Keeps a freshly made private key, encrypted as PKCS#8 under <paramref name="passphrase"/>
    /// (AES-256-CBC, PBKDF2-HMAC-SHA256), until its certificate comes back from the CA.
    /// </summary>
    /// <param name="key">An RSA or ECDSA private key.</param>
    /// <param name="address">The mailbox address the CSR names.</param>
    /// <param name="subject">The CSR's subject, for listings.</param>
    /// <param name="passphrase">Protects the key; the same opens it once paired.</param>
    public void AddPendingKey(
        AsymmetricAlgorithm key,
        string address,
        string subject,
        string passphrase)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);

        var pbe = new PbeParameters(
            PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Pbkdf2Iterations);
        byte[] encrypted = key.ExportEncryptedPkcs8PrivateKey(passphrase, pbe);
        AddPendingKey(encrypted, key.ExportSubjectPublicKeyInfo(), address, subject);
    }

    /// <summary>
    /// Keeps a freshly made key .NET has no key object for (Ed25519, RFC 8410) until its
    /// certificate comes back: its PKCS#8 is encrypted as the curve identities' keys are
    /// (the same PBES2 as <see cref="AddPendingKey(AsymmetricAlgorithm, string, string,
    /// string)"/>), and the certificate is later paired by <paramref name="publicKeyInfo"/>.
    /// </summary>
    /// <param name="pkcs8PrivateKey">The PrivateKeyInfo, unencrypted; not kept.</param>
    /// <param name="publicKeyInfo">Its SubjectPublicKeyInfo, as the CSR carries it.</param>
    /// <param name="address">The mailbox address the CSR names.</param>
    /// <param name="subject">The CSR's subject, for listings.</param>
    /// <param name="passphrase">Protects the key; the same opens it once paired.</param>
    public void AddPendingKey(
        ReadOnlySpan<byte> pkcs8PrivateKey,
        byte[] publicKeyInfo,
        string address,
        string subject,
        string passphrase)
    {
        ArgumentNullException.ThrowIfNull(publicKeyInfo);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);

        AddPendingKey(EncryptPkcs8(pkcs8PrivateKey, passphrase), publicKeyInfo, address, subject);
    }

    private void AddPendingKey(
        byte[] encrypted,
        byte[] publicKeyInfo,
        string address,
        string subject)
    {
        string hash = PublicKeyHash(publicKeyInfo);
        InTransaction(transaction =>
        {
            EnsureAuthoritySchema(transaction);
            return Execute(transaction,
                "INSERT OR REPLACE INTO pending_keys (public_key_sha256, address, subject, data, "
                + "created) VALUES ($h, $a, $s, $d, $now);",
                ("$h", hash),
                ("$a", address),
                ("$s", subject),
                ("$d", encrypted),
                ("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        });
    }

    /// <summary>
    /// Pairs an issued certificate with the pending key of the same public key: the
    /// certificate is stored, the still-encrypted key becomes its private key, and the pending
    /// entry goes, in one transaction. No passphrase is needed: the key is never decrypted.
    /// </summary>
    /// <exception cref="CertificateStoreException">No pending key has this public key.</exception>
    public StoredCertificate PairWithPendingKey(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        string hash = PublicKeyHash(certificate.PublicKey.ExportSubjectPublicKeyInfo());
        return InTransaction(transaction =>
        {
            EnsureAuthoritySchema(transaction);
            byte[]? key = Scalar<byte[]?>(transaction,
                "SELECT data FROM pending_keys WHERE public_key_sha256 = $h;", ("$h", hash));
            if (key is null)
            {
                throw new CertificateStoreException(
                    $"No key made by 'smime key new' waits for the certificate of "
                    + $"'{certificate.Subject}': its public key matches none in the store.");
            }

            string thumbprint = AddCertificate(transaction, certificate);
            StoreKey(transaction, thumbprint, Pkcs8Format, key);
            Execute(transaction, "DELETE FROM pending_keys WHERE public_key_sha256 = $h;",
                ("$h", hash));
            return Get(transaction, thumbprint)!;
        });
    }

    /// <summary>The addresses and subjects of keys still waiting for their certificate.</summary>
    public IReadOnlyList<(string Address, string Subject, DateTimeOffset Created)>
        ListPendingKeys() =>
        InTransaction(transaction =>
        {
            EnsureAuthoritySchema(transaction);
            using SqliteCommand command = Command(transaction,
                "SELECT address, subject, created FROM pending_keys ORDER BY created;", []);
            using SqliteDataReader reader = command.ExecuteReader();
            var result = new List<(string, string, DateTimeOffset)>();
            while (reader.Read())
            {
                result.Add((reader.GetString(0), reader.GetString(1),
                    DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2))));
            }

            return result;
        });

    /// <summary>The store's certificate authority, or null before <c>smime ca init</c>.</summary>
    public CertificateAuthorityRecord? GetAuthority() => InTransaction(transaction =>
    {
        EnsureAuthoritySchema(transaction);
        using SqliteCommand command = Command(transaction,
            "SELECT issuer_thumbprint, root_thumbprint, crl_url, crl_number, ocsp_url "
            + "FROM ca_authority;",
            []);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read()
            ? new CertificateAuthorityRecord(reader.GetString(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3))
            {
                OcspUrl = reader.IsDBNull(4) ? null : reader.GetString(4),
            }
            : null;
    });

    /// <summary>
    /// Records a new certificate authority: the root (a trust anchor) and the optional
    /// intermediate with their keys encrypted under <paramref name="passphrase"/>, in one
    /// transaction.
    /// </summary>
    /// <exception cref="CertificateStoreException">The store already has a CA.</exception>
    public CertificateAuthorityRecord AddAuthority(
        X509Certificate2 root,
        X509Certificate2? intermediate,
        string? crlUrl,
        string passphrase) =>
        AddAuthority(root, intermediate, crlUrl, null, passphrase);

    /// <summary>
    /// Records a new certificate authority as <see cref="AddAuthority(X509Certificate2,
    /// X509Certificate2?, string?, string)"/> does, with the URL of its OCSP responder.
    /// </summary>
    /// <exception cref="CertificateStoreException">The store already has a CA.</exception>
    public CertificateAuthorityRecord AddAuthority(
        X509Certificate2 root,
        X509Certificate2? intermediate,
        string? crlUrl,
        string? ocspUrl,
        string passphrase)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);

        byte[] rootKey = EncryptPrivateKey(root, passphrase);
        byte[]? intermediateKey = intermediate is null
            ? null
            : EncryptPrivateKey(intermediate, passphrase);
        return InTransaction(transaction =>
        {
            EnsureAuthoritySchema(transaction);
            if (Scalar<long>(transaction, "SELECT count(*) FROM ca_authority;") > 0)
            {
                throw new CertificateStoreException(
                    $"The store '{Path}' already runs a CA; use another --store for a second.");
            }

            string rootThumbprint = AddCertificate(transaction, root);
            SetTrusted(transaction, rootThumbprint, true);
            StoreKey(transaction, rootThumbprint, Pkcs8Format, rootKey);
            string issuer = rootThumbprint;
            if (intermediate is not null)
            {
                issuer = AddCertificate(transaction, intermediate);
                StoreKey(transaction, issuer, Pkcs8Format, intermediateKey!);
                RecordIntermediate(transaction, intermediate, rootThumbprint);
            }

            Execute(transaction,
                "INSERT INTO ca_authority (id, issuer_thumbprint, root_thumbprint, crl_url, "
                + "ocsp_url, created) VALUES (1, $i, $r, $u, $o, $now);",
                ("$i", issuer),
                ("$r", rootThumbprint),
                ("$u", crlUrl),
                ("$o", ocspUrl),
                ("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
            return new CertificateAuthorityRecord(issuer, rootThumbprint, crlUrl, 0)
            {
                OcspUrl = ocspUrl,
            };
        });
    }

    /// <summary>The profile name under which the root's intermediate is listed.</summary>
    public const string IntermediateProfile = "intermediate-ca";

    /// <summary>
    /// Records the CA's intermediate as a certificate its root issued, when it is not yet
    /// (a CA made before this was done): 'ca revoke' can then revoke it and the root's CRL
    /// lists it. Changes nothing when it is recorded.
    /// </summary>
    public void RecordIntermediate(X509Certificate2 intermediate, string rootThumbprint)
    {
        ArgumentNullException.ThrowIfNull(intermediate);
        ArgumentException.ThrowIfNullOrEmpty(rootThumbprint);
        if (FindIssued(intermediate.SerialNumber) is not null)
        {
            return;
        }

        InTransaction(transaction =>
        {
            EnsureAuthoritySchema(transaction);
            RecordIntermediate(transaction, intermediate, rootThumbprint);
            return 0;
        });
    }

    private static void RecordIntermediate(
        SqliteTransaction transaction,
        X509Certificate2 intermediate,
        string rootThumbprint) =>
        Execute(transaction,
            "INSERT OR IGNORE INTO ca_issued (serial, issuer_thumbprint, state, profile, "
            + "subject, address, not_before, not_after, der, reserved) "
            + "VALUES ($s, $i, 'issued', $p, $subj, NULL, $nb, $na, $d, $now);",
            ("$s", intermediate.SerialNumber),
            ("$i", rootThumbprint),
            ("$p", IntermediateProfile),
            ("$subj", intermediate.Subject),
            ("$nb", new DateTimeOffset(intermediate.NotBefore).ToUnixTimeSeconds()),
            ("$na", new DateTimeOffset(intermediate.NotAfter).ToUnixTimeSeconds()),
            ("$d", intermediate.RawData),
            ("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    /// <summary>
    /// Spends a serial number before anything is signed: true when it was free and is now
    /// recorded as reserved, false when it was ever used (the caller draws another).
    /// </summary>
    public bool ReserveSerial(
        string serial,
        string issuerThumbprint,
        string profile,
        string subject,
        string? address,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrEmpty(serial);

        return InTransaction(transaction =>
        {
            EnsureAuthoritySchema(transaction);
            return Execute(transaction,
                "INSERT OR IGNORE INTO ca_issued (serial, issuer_thumbprint, state, profile, "
                + "subject, address, not_before, not_after, reserved) "
                + "VALUES ($s, $i, 'reserved', $p, $subj, $a, $nb, $na, $now);",
                ("$s", serial),
                ("$i", issuerThumbprint),
                ("$p", profile),
                ("$subj", subject),
                ("$a", address),
                ("$nb", notBefore.ToUnixTimeSeconds()),
                ("$na", notAfter.ToUnixTimeSeconds()),
                ("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds())) == 1;
        });
    }

    /// <summary>Records the signed certificate of a reserved serial.</summary>
    /// <exception cref="CertificateStoreException">The serial was not reserved.</exception>
    public void CompleteIssue(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        InTransaction(transaction =>
        {
            EnsureAuthoritySchema(transaction);
            int rows = Execute(transaction,
                "UPDATE ca_issued SET state = 'issued', der = $d "
                + "WHERE serial = $s AND state = 'reserved';",
                ("$s", certificate.SerialNumber),
                ("$d", certificate.RawData));
            return rows == 1
                ? rows
                : throw new CertificateStoreException(
                    $"Serial {certificate.SerialNumber} was not reserved; the certificate "
                    + "is not recorded.");
        });
    }

    /// <summary>
    /// Finds one spent serial by its hex (colons and case ignored), or by a unique prefix of
    /// at least 8 hex digits; null when none or several match.
    /// </summary>
    public IssuedCertificate? FindIssued(string serial)
    {
        ArgumentNullException.ThrowIfNull(serial);

        string normal = NormalSerial(serial);
        if (normal.Length < 8)
        {
            return null;
        }

        List<IssuedCertificate> found = QueryIssued(
            $"SELECT {IssuedColumns} FROM ca_issued WHERE serial LIKE $p || '%' LIMIT 2;",
            ("$p", normal));
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>
    /// The spent serial with exactly this hex (colons and case ignored), or null; unlike
    /// <see cref="FindIssued"/>, never by prefix.
    /// </summary>
    public IssuedCertificate? GetIssued(string serial)
    {
        ArgumentNullException.ThrowIfNull(serial);

        List<IssuedCertificate> found = QueryIssued(
            $"SELECT {IssuedColumns} FROM ca_issued WHERE serial = $s;",
            ("$s", NormalSerial(serial)));
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>Every serial the CA spent, oldest first.</summary>
    public IReadOnlyList<IssuedCertificate> ListIssued() =>
        QueryIssued($"SELECT {IssuedColumns} FROM ca_issued ORDER BY reserved, serial;");

    /// <summary>
    /// Marks a serial revoked (a reserved one too: its certificate may exist though it was
    /// never recorded).
    /// </summary>
    /// <exception cref="CertificateStoreException">It is already revoked or unknown.</exception>
    public IssuedCertificate Revoke(
        string serial,
        X509RevocationReason reason,
        DateTimeOffset revokedAt)
    {
        IssuedCertificate issued = FindIssued(serial)
            ?? throw new CertificateStoreException(
                $"Serial {serial}: the CA issued no certificate with it (or the prefix is "
                + "ambiguous).");
        if (issued.State == IssuedCertificateState.Revoked)
        {
            throw new CertificateStoreException(
                $"Serial {issued.Serial} was already revoked on {issued.RevokedAt:u}.");
        }

        InTransaction(transaction => Execute(transaction,
            "UPDATE ca_issued SET state = 'revoked', revoked = $t, reason = $r "
            + "WHERE serial = $s AND state <> 'revoked';",
            ("$s", issued.Serial),
            ("$t", revokedAt.ToUnixTimeSeconds()),
            ("$r", (int)reason)));
        return FindIssued(issued.Serial)!;
    }

    /// <summary>
    /// Takes the next CRL number (RFC 5280 §5.2.3) in its own transaction, before the CRL is
    /// signed: numbers only grow, even when signing then fails.
    /// </summary>
    public long NextCrlNumber() => InTransaction(transaction =>
    {
        EnsureAuthoritySchema(transaction);
        int rows = Execute(transaction,
            "UPDATE ca_authority SET crl_number = crl_number + 1 WHERE id = 1;");
        return rows == 1
            ? Scalar<long>(transaction, "SELECT crl_number FROM ca_authority WHERE id = 1;")
            : throw new CertificateStoreException("The store runs no CA; see 'smime ca init'.");
    });

    private List<IssuedCertificate> QueryIssued(
        string sql,
        params (string Name, object? Value)[] parameters) => InTransaction(transaction =>
    {
        EnsureAuthoritySchema(transaction);
        using SqliteCommand command = Command(transaction, sql, parameters);
        using SqliteDataReader reader = command.ExecuteReader();
        var result = new List<IssuedCertificate>();
        while (reader.Read())
        {
            result.Add(new IssuedCertificate(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2) switch
                {
                    "issued" => IssuedCertificateState.Issued,
                    "revoked" => IssuedCertificateState.Revoked,
                    _ => IssuedCertificateState.Reserved,
                },
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(6)),
                DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : (byte[])reader.GetValue(8),
                reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(9)),
                reader.IsDBNull(10) ? null : (X509RevocationReason)reader.GetInt32(10)));
        }

        return result;
    });

    // Creates the CA tables when missing and adds the columns a store made by an older smime
    // lacks; idempotent, in the caller's transaction.
    private static void EnsureAuthoritySchema(SqliteTransaction transaction)
    {
        Execute(transaction, AuthoritySchema);
        foreach ((string column, string sql) in s_addedAuthorityColumns)
        {
            if (Scalar<long>(transaction,
                "SELECT count(*) FROM pragma_table_info('ca_authority') WHERE name = $c;",
                ("$c", column)) == 0)
            {
                Execute(transaction, sql);
            }
        }
    }

    private static string NormalSerial(string serial) =>
        new string(serial.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();

    private static string PublicKeyHash(byte[] subjectPublicKeyInfo) =>
        Convert.ToHexString(SHA256.HashData(subjectPublicKeyInfo));
}
