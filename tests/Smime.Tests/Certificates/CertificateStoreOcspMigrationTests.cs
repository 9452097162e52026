using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

/// <summary>A store made before the ocsp_responses table: opened, it gains the table.</summary>
public sealed class CertificateStoreOcspMigrationTests
{
    [Fact]
    public void Open_StoreMadeBeforeTheOcspTable_TableAddedCertificatesKeptAnswersCached()
    {
        using var dir = new TempDir();
        int ocspPort = LoopbackHttpServer.FreePort();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), ocspPort);
        X509Certificate2 mallory = pki.Issue("mallory@example.com", revoked: true,
            withCdp: false);
        pki.WriteOcspResponderFiles(dir.Path);
        using (CertificateStore made = CertificateStore.Open(dir.File("store"), 1000))
        {
            made.Add(pki.Intermediate);
        }

        Execute(dir, "DROP TABLE ocsp_responses;");
        Assert.Empty(StoreDatabase.Columns(dir, "ocsp_responses"));

        RevocationCheck online, offline;
        using (CertificateStore store = CertificateStore.Open(dir.File("store"), 1000))
        {
            Assert.Single(store.List());
            using var responder = new OpenSslOcspResponder(dir.Path, ocspPort, days: 1);
            using var checker = new RevocationChecker(store,
                new RevocationOptions { Timeout = TimeSpan.FromSeconds(30) });
            online = checker.Check(mallory, pki.Intermediate);
        }

        using (CertificateStore again = CertificateStore.Open(dir.File("store"), 1000))
        using (var checker = new RevocationChecker(again, new RevocationOptions { Offline = true }))
        {
            offline = checker.Check(mallory, pki.Intermediate);
        }

        Assert.Equal(["issuer_key", "serial", "this_update", "next_update", "source", "der",
            "added"], StoreDatabase.Columns(dir, "ocsp_responses"));
        Assert.Equal(RevocationStatus.Revoked, online.Status);
        Assert.Equal(new RevocationCheck(RevocationStatus.Revoked, "The certificate "
            + $"'CN=mallory@example.com' is revoked (cached OCSP answer from {pki.OcspUrl})."),
            offline);
    }

    private static void Execute(TempDir dir, string sql)
    {
        using SqliteConnection connection = StoreDatabase.Connect(dir);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
