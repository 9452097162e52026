using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using Smime.Certificates;
using Smime.Tests.Support;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BcCertificateParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace Smime.Tests.Certificates;

public sealed class RevocationCheckerOcspCacheEdgeTests
{
    private static readonly RevocationOptions s_offline = new() { Offline = true };

    // A cached CRL (older, says good) wins over a cached OCSP answer (newer, says revoked).
    [Fact]
    public void Check_CachedCrlGoodOlderThanCachedOcspRevoked_Revoked()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), LoopbackHttpServer.FreePort());
        X509Certificate2 mallory = pki.Issue("mallory@example.com");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        store.StoreCrl(CertificateRevocationList.Decode(pki.MakeCrl(now.AddDays(7), now.AddHours(-2))), pki.CrlUrl);
        pki.CacheOcspAnswer(store, mallory, revoked: true, now.AddMinutes(-1), now.AddDays(1));
        using var offline = new RevocationChecker(store, s_offline);

        Assert.Equal(RevocationStatus.Revoked, offline.Check(mallory, pki.Intermediate).Status);
    }

    // RFC 6960 §4.2.2.2 / §3.2: the delegated responder's certificate must be valid now.
    [Fact]
    public void Check_CachedAnswerFromExpiredDelegatedResponder_NotUsed()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), LoopbackHttpServer.FreePort());
        X509Certificate2 alice = pki.Issue("alice@example.com", withCdp: false);
        DateTimeOffset now = DateTimeOffset.UtcNow;

        using RSA responderKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=Expired Responder", responderKey,
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.9") }, false));
        using X509Certificate2 responder = request.Create(pki.Intermediate,
            now.AddDays(-8), now.AddDays(-1), [7, 7, 7, 7]);

        var parser = new BcCertificateParser();
        var bcIssuer = parser.ReadCertificate(pki.Intermediate.RawData);
        var bcResponder = parser.ReadCertificate(responder.RawData);
        var id = new CertificateID(CertificateID.DigestSha1, bcIssuer,
            new BcBigInteger(1, alice.SerialNumberBytes.ToArray()));
        var generator = new BasicOcspRespGenerator(bcResponder.GetPublicKey());
        generator.AddResponse(id, CertificateStatus.Good, now.AddMinutes(-1).UtcDateTime,
            now.AddDays(1).UtcDateTime, null);
        var signer = new Asn1SignatureFactory("SHA256WITHRSA",
            PrivateKeyFactory.CreateKey(responderKey.ExportPkcs8PrivateKey()));
        byte[] der = new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful,
            generator.Generate(signer, [bcResponder], now.AddMinutes(-1).UtcDateTime)).GetEncoded();

        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        store.StoreOcspResponse(alice, pki.Intermediate, der, now.AddMinutes(-1), now.AddDays(1),
            pki.OcspUrl);
        using var offline = new RevocationChecker(store, s_offline);

        Assert.Equal(RevocationStatus.Unknown, offline.Check(alice, pki.Intermediate).Status);
    }

    // A row whose der is not a blob (a damaged store) is a problem noted, not an exception.
    [Fact]
    public void Check_CachedRowDamaged_UnknownNotAnException()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), LoopbackHttpServer.FreePort());
        X509Certificate2 alice = pki.Issue("alice@example.com", withCdp: false);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        pki.CacheOcspAnswer(store, alice, revoked: false, now.AddMinutes(-1), now.AddDays(1));
        using (SqliteConnection connection = StoreDatabase.Connect(dir))
        {
            using SqliteCommand write = connection.CreateCommand();
            write.CommandText = "UPDATE ocsp_responses SET der = 'garbage';";
            write.ExecuteNonQuery();
        }

        using var offline = new RevocationChecker(store, s_offline);
        RevocationCheck check = offline.Check(alice, pki.Intermediate);
        Assert.Equal(RevocationStatus.Unknown, check.Status);
    }
}
