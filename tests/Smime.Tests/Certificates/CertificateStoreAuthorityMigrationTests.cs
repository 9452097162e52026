using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Smime.Authority;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

/// <summary>A store whose CA was made before ca_authority had its ocsp_url column.</summary>
public sealed class CertificateStoreAuthorityMigrationTests
{
    private const string CaPassword = "ca-secret";

    // ca_authority exactly as smime created it before the OCSP responder.
    private const string OldAuthorityTable = """
        CREATE TABLE ca_authority (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            issuer_thumbprint TEXT NOT NULL,
            root_thumbprint TEXT NOT NULL,
            crl_url TEXT,
            crl_number INTEGER NOT NULL DEFAULT 0,
            created INTEGER NOT NULL);
        """;

    [Fact]
    public void Open_CaOfTheOldSchema_ColumnAddedRecordKeptCaIssuesWithoutAia()
    {
        using var dir = new TempDir();
        CertificateAuthorityRecord made = MakeOldStore(dir, "http://127.0.0.1/ca.crl");
        Assert.Equal(["id", "issuer_thumbprint", "root_thumbprint", "crl_url", "crl_number",
            "created"], StoreDatabase.Columns(dir, "ca_authority"));

        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        CertificateAuthorityRecord? record = store.GetAuthority();
        CertificateAuthority ca = CertificateAuthority.Open(store);
        using RSA key = RSA.Create(2048);
        using X509Certificate2 issued = ca.Issue(SigningRequests.Create(key, "a@example.com"),
            new IssueOptions { Profile = SmimeProfiles.Parse("mailbox-strict") }, CaPassword);

        Assert.Equal(made with { CrlNumber = 1 }, record);
        Assert.Null(record!.OcspUrl);
        Assert.Equal("ocsp_url", StoreDatabase.Columns(dir, "ca_authority")[^1]);
        Assert.Empty(issued.Extensions.OfType<X509AuthorityInformationAccessExtension>());
        Assert.Equal(2, store.NextCrlNumber());
    }

    [Fact]
    public void Open_OldSchemaStoreTwice_MigratesOnceAndStaysReadable()
    {
        using var dir = new TempDir();
        MakeOldStore(dir, null);

        for (int i = 0; i < 2; i++)
        {
            using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
            Assert.NotNull(store.GetAuthority());
        }

        Assert.Single(StoreDatabase.Columns(dir, "ca_authority"), c => c == "ocsp_url");
    }

    // A CA made by this smime, then its ca_authority rebuilt with the old DDL and its rows;
    // one CRL number taken so the copy is seen to keep the row's values.
    private static CertificateAuthorityRecord MakeOldStore(TempDir dir, string? crlUrl)
    {
        CertificateAuthorityRecord record;
        using (CertificateStore store = CertificateStore.Open(dir.File("store"), 1000))
        {
            CertificateAuthority.Initialize(store, new CertificateAuthorityOptions
            {
                Name = "CN=Test Root, O=Test",
                CrlUrl = crlUrl,
                Intermediate = true,
            }, CaPassword);
            store.NextCrlNumber();
            record = store.GetAuthority()!;
        }

        using SqliteConnection connection = StoreDatabase.Connect(dir);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "ALTER TABLE ca_authority RENAME TO ca_authority_new;"
            + OldAuthorityTable
            + "INSERT INTO ca_authority SELECT id, issuer_thumbprint, root_thumbprint, crl_url, "
            + "crl_number, created FROM ca_authority_new;"
            + "DROP TABLE ca_authority_new;";
        command.ExecuteNonQuery();
        return record;
    }
}
