using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

public sealed class RevocationCheckerTests
{
    private static readonly RevocationOptions s_crlOnly = new()
    {
        UseOcsp = false,
        Timeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public void Check_CrlFromDistributionPoint_RevokedAndGood()
    {
        using var dir = new TempDir();
        using var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        X509Certificate2 revoked = pki.Issue("mallory@example.com", revoked: true);
        X509Certificate2 good = pki.Issue("alice@example.com");
        server.Serve("/intermediate.crl", pki.MakeCrl());
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        using var checker = new RevocationChecker(store, s_crlOnly);

        RevocationCheck bad = checker.Check(revoked, pki.Intermediate);
        RevocationCheck ok = checker.Check(good, pki.Intermediate);

        Assert.Equal(RevocationStatus.Revoked, bad.Status);
        Assert.Equal("The certificate 'CN=mallory@example.com' is revoked (CRL from "
            + $"{pki.CrlUrl}).", bad.Reason);
        Assert.Equal(RevocationStatus.Good, ok.Status);

        // The second answer came from the cache: one fetch only.
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void Check_OfflineAfterFetch_UsesCachedCrlAcrossStoreInstances()
    {
        using var dir = new TempDir();
        // Listening from the start, so no other process takes the CRL's port meanwhile.
        var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        X509Certificate2 revoked = pki.Issue("mallory@example.com", revoked: true);
        using (server)
        {
            server.Serve("/intermediate.crl", pki.MakeCrl());
            using CertificateStore first = CertificateStore.Open(dir.Path, 1000);
            using var online = new RevocationChecker(first, s_crlOnly);
            Assert.Equal(RevocationStatus.Revoked, online.Check(revoked, pki.Intermediate).Status);
        }

        using CertificateStore second = CertificateStore.Open(dir.Path, 1000);
        using var offline = new RevocationChecker(second, new RevocationOptions { Offline = true });

        Assert.Equal(RevocationStatus.Revoked, offline.Check(revoked, pki.Intermediate).Status);
    }

    [Fact]
    public void Check_OfflineNothingCached_Unknown()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), LoopbackHttpServer.FreePort());
        X509Certificate2 alice = pki.Issue("alice@example.com");
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        using var checker = new RevocationChecker(store, new RevocationOptions { Offline = true });

        RevocationCheck check = checker.Check(alice, pki.Intermediate);

        Assert.Equal(RevocationStatus.Unknown, check.Status);
        Assert.Equal("The revocation of 'CN=alice@example.com' is unknown: offline, and no "
            + "current CRL of its issuer is cached.", check.Reason);
    }

    [Fact]
    public void Check_TruncatedCrlServed_UnknownAndNothingCached()
    {
        using var dir = new TempDir();
        using var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        X509Certificate2 alice = pki.Issue("alice@example.com");
        byte[] crl = pki.MakeCrl();
        server.Serve("/intermediate.crl", crl[..(crl.Length / 2)]);
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        using var checker = new RevocationChecker(store, s_crlOnly);

        RevocationCheck check = checker.Check(alice, pki.Intermediate);

        Assert.Equal(RevocationStatus.Unknown, check.Status);
        Assert.Contains("is truncated or malformed", check.Reason);
        using var offline = new RevocationChecker(store, new RevocationOptions { Offline = true });
        Assert.Equal(RevocationStatus.Unknown, offline.Check(alice, pki.Intermediate).Status);
    }

    [Fact]
    public void AddCrl_Truncated_ClearErrorAndCachedCrlKept()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), LoopbackHttpServer.FreePort());
        X509Certificate2 revoked = pki.Issue("mallory@example.com", revoked: true);
        byte[] crl = pki.MakeCrl();
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(pki.Intermediate);
        store.AddCrl(crl, source: null);

        var e = Assert.Throws<CertificateStoreException>(() => store.AddCrl(crl[..100]));

        Assert.StartsWith("The CRL given cannot be read: The CRL (CertificateList, RFC 5280 §5.1) "
            + "is truncated or malformed.", e.Message);
        using var offline = new RevocationChecker(store, new RevocationOptions { Offline = true });
        Assert.Equal(RevocationStatus.Revoked, offline.Check(revoked, pki.Intermediate).Status);
    }

    [Fact]
    public void AddCrl_SignedByAnotherKey_Refused()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), LoopbackHttpServer.FreePort());
        using var impostor = new RevocationPki(LoopbackHttpServer.FreePort(), LoopbackHttpServer.FreePort());
        impostor.Issue("x@example.com", revoked: true);
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(pki.Intermediate);

        // Same issuer name, other key: the signature must not verify.
        var e = Assert.Throws<CertificateStoreException>(() => store.AddCrl(impostor.MakeCrl()));

        Assert.Contains("does not verify", e.Message);
    }

    [Fact]
    public void Check_CachedCrlPastNextUpdate_FetchesAgain()
    {
        using var dir = new TempDir();
        using var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        X509Certificate2 alice = pki.Issue("alice@example.com");
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        store.AddCrl(pki.MakeCrl(nextUpdate: now.AddHours(-1), thisUpdate: now.AddDays(-1)),
            pki.CrlUrl);
        server.Serve("/intermediate.crl", pki.MakeCrl());
        using var checker = new RevocationChecker(store, s_crlOnly);

        RevocationCheck check = checker.Check(alice, pki.Intermediate);

        Assert.Equal(RevocationStatus.Good, check.Status);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void Check_OpenSslOcspResponder_RevokedAndGood()
    {
        using var dir = new TempDir();
        int ocspPort = LoopbackHttpServer.FreePort();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), ocspPort);
        X509Certificate2 revoked = pki.Issue("mallory@example.com", revoked: true, withCdp: false);
        X509Certificate2 good = pki.Issue("alice@example.com", withCdp: false);
        pki.WriteOcspResponderFiles(dir.Path);
        using var responder = new OpenSslOcspResponder(dir.Path, ocspPort);
        using var checker = new RevocationChecker(null,
            new RevocationOptions { Timeout = TimeSpan.FromSeconds(30) });

        RevocationCheck bad = checker.Check(revoked, pki.Intermediate);
        RevocationCheck ok = checker.Check(good, pki.Intermediate);

        Assert.True(bad.Status == RevocationStatus.Revoked, bad.Reason);
        Assert.Equal($"The certificate 'CN=mallory@example.com' is revoked (OCSP {pki.OcspUrl}).",
            bad.Reason);
        Assert.Equal(RevocationStatus.Good, ok.Status);
    }

    [Fact]
    public void Check_OcspResponderNeverAnswers_UnknownWithinTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), port);
        X509Certificate2 alice = pki.Issue("alice@example.com", withCdp: false);
        using var checker = new RevocationChecker(null,
            new RevocationOptions { Timeout = TimeSpan.FromSeconds(1) });

        var clock = Stopwatch.StartNew();
        RevocationCheck check = checker.Check(alice, pki.Intermediate);

        Assert.Equal(RevocationStatus.Unknown, check.Status);
        Assert.Contains("no answer within the timeout", check.Reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Validate_WithRevocation_EachCaseNamed()
    {
        using var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 good = pki.Issue("alice@example.com");
        X509Certificate2 revoked = pki.Issue("mallory@example.com", revoked: true);
        X509Certificate2 expired = pki.Issue("old@example.com",
            notBefore: now.AddDays(-5), notAfter: now.AddDays(-1));
        X509Certificate2 serverAuth = pki.Issue("web@example.com", ekus: ["1.3.6.1.5.5.7.3.1"]);
        X509Certificate2 noEku = pki.Issue("plain@example.com", ekus: []);
        X509Certificate2 noCdp = pki.Issue("nocdp@example.com", withCdp: false, withOcsp: false);
        server.Serve("/intermediate.crl", pki.MakeCrl());
        server.Serve("/root.crl", pki.MakeRootCrl());
        using var checker = new RevocationChecker(null, s_crlOnly);
        var options = new ChainValidationOptions { Revocation = checker };
        X509Certificate2Collection extra = [pki.Intermediate];

        ChainOutcome Outcome(X509Certificate2 c) =>
            ChainValidator.Validate(c, pki.Anchors, extra, options).Outcome;

        Assert.Equal(ChainOutcome.Trusted, Outcome(good));
        Assert.Equal(ChainOutcome.Revoked, Outcome(revoked));
        Assert.Equal(ChainOutcome.Expired, Outcome(expired));
        Assert.Equal(ChainOutcome.WrongUsage, Outcome(serverAuth));

        // RFC 8550 §4.4.4: without an EKU extension any purpose is allowed.
        Assert.Equal(ChainOutcome.Trusted, Outcome(noEku));
        Assert.Equal(ChainOutcome.RevocationUnknown, Outcome(noCdp));
    }
}
