using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Org.BouncyCastle.Ocsp;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

/// <summary>
/// OCSP responses kept in the store (RFC 6960 §4.2.2.1: until their nextUpdate), answered by
/// `openssl ocsp` or made with BouncyCastle and signed by the issuing CA.
/// </summary>
public sealed class RevocationCheckerOcspCacheTests
{
    private static readonly RevocationOptions s_online = new()
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static readonly RevocationOptions s_offline = new() { Offline = true };

    [Fact]
    public void Check_ResponderGoneOrOffline_SameAnswersFromTheCache()
    {
        using var dir = new TempDir();
        int ocspPort = LoopbackHttpServer.FreePort();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), ocspPort);
        X509Certificate2 revoked = pki.Issue("mallory@example.com", revoked: true, withCdp: false);
        X509Certificate2 good = pki.Issue("alice@example.com", withCdp: false);
        pki.WriteOcspResponderFiles(dir.Path);
        RevocationCheck badOnline, okOnline;
        using (new OpenSslOcspResponder(dir.Path, ocspPort, days: 1))
        using (CertificateStore first = CertificateStore.Open(dir.File("store"), 1000))
        using (var online = new RevocationChecker(first, s_online))
        {
            badOnline = online.Check(revoked, pki.Intermediate);
            okOnline = online.Check(good, pki.Intermediate);
        }

        using CertificateStore second = CertificateStore.Open(dir.File("store"), 1000);
        using var down = new RevocationChecker(second, s_online);
        using var offline = new RevocationChecker(second, s_offline);
        RevocationCheck badDown = down.Check(revoked, pki.Intermediate);
        RevocationCheck okDown = down.Check(good, pki.Intermediate);
        RevocationCheck badOffline = offline.Check(revoked, pki.Intermediate);
        RevocationCheck okOffline = offline.Check(good, pki.Intermediate);

        Assert.Equal(new RevocationCheck(RevocationStatus.Revoked, "The certificate "
            + $"'CN=mallory@example.com' is revoked (OCSP {pki.OcspUrl})."), badOnline);
        Assert.Equal(RevocationStatus.Good, okOnline.Status);
        var cachedRevoked = new RevocationCheck(RevocationStatus.Revoked, "The certificate "
            + $"'CN=mallory@example.com' is revoked (cached OCSP answer from {pki.OcspUrl}).");
        var cachedGood = new RevocationCheck(RevocationStatus.Good, "The certificate "
            + $"'CN=alice@example.com' is not revoked (cached OCSP answer from {pki.OcspUrl}).");
        Assert.Equal(cachedRevoked, badDown);
        Assert.Equal(cachedGood, okDown);
        Assert.Equal(cachedRevoked, badOffline);
        Assert.Equal(cachedGood, okOffline);
        Assert.Equal(2, CountRows(dir));
    }

    [Fact]
    public void Check_CachedAnswerPastNextUpdate_UnknownOfflineThenReplacedByAFreshOne()
    {
        using var dir = new TempDir();
        int ocspPort = LoopbackHttpServer.FreePort();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), ocspPort);
        X509Certificate2 alice = pki.Issue("alice@example.com", withCdp: false);
        pki.WriteOcspResponderFiles(dir.Path);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset thisUpdate = now.AddDays(-2);
        DateTimeOffset nextUpdate = now.AddMinutes(-10);
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        store.StoreOcspResponse(alice, pki.Intermediate,
            pki.MakeOcspResponse(alice, revoked: false, thisUpdate, nextUpdate),
            thisUpdate, nextUpdate, pki.OcspUrl);
        using var offline = new RevocationChecker(store, s_offline);

        RevocationCheck expired = offline.Check(alice, pki.Intermediate);
        RevocationCheck fresh;
        using (new OpenSslOcspResponder(dir.Path, ocspPort, days: 1))
        using (var online = new RevocationChecker(store, s_online))
        {
            fresh = online.Check(alice, pki.Intermediate);
        }

        RevocationCheck cached = offline.Check(alice, pki.Intermediate);

        Assert.Equal(new RevocationCheck(RevocationStatus.Unknown, "The revocation of "
            + $"'CN=alice@example.com' is unknown: cached OCSP answer from {pki.OcspUrl}: the "
            + $"response expired at its nextUpdate {nextUpdate.UtcDateTime:u}."), expired);
        Assert.Equal(new RevocationCheck(RevocationStatus.Good, "The certificate "
            + $"'CN=alice@example.com' is not revoked (OCSP {pki.OcspUrl})."), fresh);
        Assert.Equal(RevocationStatus.Good, cached.Status);
        Assert.EndsWith($"(cached OCSP answer from {pki.OcspUrl}).", cached.Reason);
        Assert.Equal(1, CountRows(dir));
    }

    [Fact]
    public void Check_CachedAnswerWithinTheClockSkewOfItsNextUpdate_Used()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(),
            LoopbackHttpServer.FreePort());
        X509Certificate2 mallory = pki.Issue("mallory@example.com", revoked: true,
            withCdp: false);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        pki.CacheOcspAnswer(store, mallory, revoked: true, now.AddHours(-1), now.AddMinutes(-2));
        using var offline = new RevocationChecker(store, s_offline);

        RevocationCheck check = offline.Check(mallory, pki.Intermediate);

        Assert.Equal(new RevocationCheck(RevocationStatus.Revoked, "The certificate "
            + $"'CN=mallory@example.com' is revoked (cached OCSP answer from {pki.OcspUrl})."),
            check);
    }

    [Fact]
    public void Check_AnswerWithoutNextUpdate_NotCached()
    {
        using var dir = new TempDir();
        int ocspPort = LoopbackHttpServer.FreePort();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), ocspPort);
        X509Certificate2 alice = pki.Issue("alice@example.com", withCdp: false);
        pki.WriteOcspResponderFiles(dir.Path);
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        RevocationCheck online;
        using (new OpenSslOcspResponder(dir.Path, ocspPort, days: null))
        using (var checker = new RevocationChecker(store, s_online))
        {
            online = checker.Check(alice, pki.Intermediate);
        }

        using var offline = new RevocationChecker(store, s_offline);
        RevocationCheck check = offline.Check(alice, pki.Intermediate);

        Assert.Equal(new RevocationCheck(RevocationStatus.Good, "The certificate "
            + $"'CN=alice@example.com' is not revoked (OCSP {pki.OcspUrl})."), online);
        Assert.Equal(0, CountRows(dir));
        Assert.Equal(new RevocationCheck(RevocationStatus.Unknown, "The revocation of "
            + "'CN=alice@example.com' is unknown: offline, and no current CRL of its issuer is "
            + "cached."), check);
    }

    [Fact]
    public void Check_CachedAnswerWithoutNextUpdate_NotUsed()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(),
            LoopbackHttpServer.FreePort());
        X509Certificate2 alice = pki.Issue("alice@example.com", withCdp: false);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);

        // The row claims a nextUpdate; the signed response has none, and it decides.
        store.StoreOcspResponse(alice, pki.Intermediate,
            pki.MakeOcspResponse(alice, revoked: false, now.AddMinutes(-1), null),
            now.AddMinutes(-1), now.AddDays(1), pki.OcspUrl);
        using var offline = new RevocationChecker(store, s_offline);

        RevocationCheck check = offline.Check(alice, pki.Intermediate);

        Assert.Equal(new RevocationCheck(RevocationStatus.Unknown, "The revocation of "
            + $"'CN=alice@example.com' is unknown: cached OCSP answer from {pki.OcspUrl}: the "
            + "response has no nextUpdate."), check);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Check_CachedAnswerTampered_UnknownNotItsStatus(bool revoked)
    {
        using var dir = new TempDir();
        int ocspPort = LoopbackHttpServer.FreePort();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), ocspPort);
        X509Certificate2 user = pki.Issue("user@example.com", revoked, withCdp: false);
        pki.WriteOcspResponderFiles(dir.Path);
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        RevocationCheck online;
        using (new OpenSslOcspResponder(dir.Path, ocspPort, days: 1))
        using (var checker = new RevocationChecker(store, s_online))
        {
            online = checker.Check(user, pki.Intermediate);
        }

        FlipSignatureByte(dir);
        using var offline = new RevocationChecker(store, s_offline);
        RevocationCheck check = offline.Check(user, pki.Intermediate);

        Assert.Equal(revoked ? RevocationStatus.Revoked : RevocationStatus.Good, online.Status);
        Assert.Equal(new RevocationCheck(RevocationStatus.Unknown, "The revocation of "
            + $"'CN=user@example.com' is unknown: cached OCSP answer from {pki.OcspUrl}: the "
            + "response is not signed by 'CN=Revocation Test Intermediate' or a responder it "
            + "authorised."), check);
    }

    [Fact]
    public void Check_UseOcspFalse_CachedAnswerNotUsed()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(),
            LoopbackHttpServer.FreePort());
        X509Certificate2 mallory = pki.Issue("mallory@example.com", revoked: true,
            withCdp: false);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        pki.CacheOcspAnswer(store, mallory, revoked: true, now.AddMinutes(-1), now.AddDays(1));
        using var crlOnly = new RevocationChecker(store,
            new RevocationOptions { Offline = true, UseOcsp = false });

        RevocationCheck check = crlOnly.Check(mallory, pki.Intermediate);

        Assert.Equal(new RevocationCheck(RevocationStatus.Unknown, "The revocation of "
            + "'CN=mallory@example.com' is unknown: offline, and no current CRL of its issuer "
            + "is cached."), check);
    }

    // One bit of the BasicOCSPResponse signature (RFC 6960 §4.2.1) flipped in the stored row.
    private static void FlipSignatureByte(TempDir dir)
    {
        using SqliteConnection connection = StoreDatabase.Connect(dir);
        using SqliteCommand read = connection.CreateCommand();
        read.CommandText = "SELECT der FROM ocsp_responses;";
        byte[] der = (byte[])read.ExecuteScalar()!;
        var basic = (BasicOcspResp)new OcspResp(der).GetResponseObject();
        byte[] signature = basic.GetSignature();
        int at = der.AsSpan().IndexOf(signature);
        Assert.True(at > 0);
        der[at + signature.Length / 2] ^= 0x01;

        using SqliteCommand write = connection.CreateCommand();
        write.CommandText = "UPDATE ocsp_responses SET der = $d;";
        write.Parameters.AddWithValue("$d", der);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private static long CountRows(TempDir dir)
    {
        using SqliteConnection connection = StoreDatabase.Connect(dir);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM ocsp_responses;";
        return (long)command.ExecuteScalar()!;
    }
}
