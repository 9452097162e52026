namespace Smime.Certificates;

/// <summary>The store's SQL schema, one constant per version.</summary>
internal static class CertificateStoreSchema
{
    // Times are Unix seconds (UTC). Addresses are stored with the domain lower-cased, so a
    // look-up compares the local part exactly and the domain without case (RFC 8550 §3).
    public const string Version1 = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER NOT NULL);
        CREATE TABLE certificates (
            thumbprint TEXT PRIMARY KEY,
            der BLOB NOT NULL,
            subject TEXT NOT NULL,
            issuer TEXT NOT NULL,
            serial TEXT NOT NULL,
            not_before INTEGER NOT NULL,
            not_after INTEGER NOT NULL,
            key_usage INTEGER,
            extended_key_usages TEXT,
            trusted INTEGER NOT NULL DEFAULT 0,
            added INTEGER NOT NULL);
        CREATE INDEX certificates_subject ON certificates (subject);
        CREATE TABLE addresses (
            thumbprint TEXT NOT NULL REFERENCES certificates (thumbprint) ON DELETE CASCADE,
            address TEXT NOT NULL,
            PRIMARY KEY (thumbprint, address));
        CREATE INDEX addresses_address ON addresses (address);
        CREATE TABLE private_keys (
            thumbprint TEXT PRIMARY KEY
                REFERENCES certificates (thumbprint) ON DELETE CASCADE,
            format TEXT NOT NULL CHECK (format IN ('pkcs8-encrypted', 'pkcs12')),
            data BLOB NOT NULL);
        CREATE TABLE crls (
            id INTEGER PRIMARY KEY,
            issuer TEXT NOT NULL,
            this_update INTEGER NOT NULL,
            next_update INTEGER,
            source TEXT,
            der BLOB NOT NULL,
            added INTEGER NOT NULL);
        CREATE INDEX crls_issuer ON crls (issuer);
        CREATE TABLE senders (
            address TEXT PRIMARY KEY,
            signing_time INTEGER,
            capabilities BLOB,
            preferred_thumbprint TEXT,
            updated INTEGER NOT NULL);
        """;
}
