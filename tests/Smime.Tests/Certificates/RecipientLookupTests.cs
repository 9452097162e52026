using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

public sealed class RecipientLookupTests
{
    [Fact]
    public void Find_AddressOnlyInSubject_Found()
    {
        using var dir = new TempDir();
        using X509Certificate2 old = TestPki.Shared.Issue("legacy@example.com",
            withSubjectAltName: false);
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(old);

        RecipientMatch match = RecipientLookup.Find(store, "legacy@example.com");

        Assert.True(match.Found, match.Reason);
        Assert.Equal(old.RawData, match.Certificate!.RawData);
    }

    [Fact]
    public void Find_UpperCaseDomain_MatchedWithoutCaseLocalPartExact()
    {
        using var dir = new TempDir();
        using X509Certificate2 bob = TestPki.Shared.Issue("Bob@EXAMPLE.org");
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(bob);

        Assert.True(RecipientLookup.Find(store, "Bob@example.ORG").Found);
        Assert.True(RecipientLookup.Find(store, "Bob@example.org").Found);
        RecipientMatch other = RecipientLookup.Find(store, "bob@example.org");
        Assert.False(other.Found);
        Assert.Equal("The store has no certificate for bob@example.org.", other.Reason);
    }

    [Fact]
    public void Find_TwoValid_NewestChosen()
    {
        using var dir = new TempDir();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 older = TestPki.Shared.Issue("carol@example.com",
            notBefore: now.AddDays(-1.9));
        using X509Certificate2 newer = TestPki.Shared.Issue("carol@example.com",
            notBefore: now.AddHours(-1));
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(newer);
        store.Add(older);

        RecipientMatch match = RecipientLookup.Find(store, "carol@example.com");

        Assert.Equal(newer.RawData, match.Certificate!.RawData);
        Assert.EndsWith("it is the newest usable one.", match.Reason);
    }

    [Fact]
    public void Find_SenderPreferenceRecorded_PreferredChosenOverNewest()
    {
        using var dir = new TempDir();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 older = TestPki.Shared.Issue("dan@example.com",
            notBefore: now.AddDays(-1.9));
        using X509Certificate2 newer = TestPki.Shared.Issue("dan@example.com",
            notBefore: now.AddHours(-1));
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(newer);
        store.Harvest([new HarvestedSigner(newer, [older], now, [],
            IssuerAndSerialPreference(older))]);

        RecipientMatch match = RecipientLookup.Find(store, "dan@example.com");

        Assert.Equal(older.RawData, match.Certificate!.RawData);
        Assert.EndsWith("the sender's SMIMEEncryptionKeyPreference names it.", match.Reason);
    }

    [Fact]
    public void Find_RsaWithKeyAgreementOnly_RejectedForLackingKeyEncipherment()
    {
        // RFC 8550 §4.4.2: an RSA key transports the content key, so keyAgreement alone does
        // not let it; the --to check of `smime encrypt` applies the same rule.
        using var dir = new TempDir();
        using var pki = new RevocationPki(1, 1);
        X509Certificate2 agreeOnly = pki.Issue("frank@example.com",
            usage: X509KeyUsageFlags.KeyAgreement | X509KeyUsageFlags.DigitalSignature);
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(agreeOnly);

        RecipientMatch match = RecipientLookup.Find(store, "frank@example.com");

        Assert.False(match.Found);
        Assert.EndsWith("its keyUsage lacks keyEncipherment", Assert.Single(match.Rejected));
        Assert.Equal("its keyUsage lacks keyEncipherment",
            RecipientLookup.WhyNotEncryptable(agreeOnly, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Find_ExpiredAndSigningOnly_NoneWithEachReason()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(1, 1);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 expired = pki.Issue("erin@example.com",
            notBefore: now.AddDays(-9), notAfter: now.AddDays(-1));
        X509Certificate2 signingOnly = pki.Issue("erin@example.com",
            usage: X509KeyUsageFlags.DigitalSignature);
        X509Certificate2 serverAuth = pki.Issue("erin@example.com", ekus: ["1.3.6.1.5.5.7.3.1"]);
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(expired);
        store.Add(signingOnly);
        store.Add(serverAuth);

        RecipientMatch match = RecipientLookup.Find(store, "erin@example.com");

        Assert.False(match.Found);
        Assert.Equal(3, match.Rejected.Count);
        Assert.Contains(match.Rejected, r => r.Contains("expired on"));
        Assert.Contains(match.Rejected,
            r => r.EndsWith("its keyUsage lacks keyEncipherment"));
        Assert.Contains(match.Rejected, r => r.EndsWith(
            "its extendedKeyUsage has neither emailProtection nor anyExtendedKeyUsage"));
    }

    [Fact]
    public void Find_NewestRevoked_OlderGoodChosen()
    {
        using var dir = new TempDir();
        using var server = new LoopbackHttpServer(LoopbackHttpServer.FreePort());
        using var pki = new RevocationPki(server.Port, LoopbackHttpServer.FreePort());
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 good = pki.Issue("frank@example.com", notBefore: now.AddDays(-5));
        X509Certificate2 revoked = pki.Issue("frank@example.com", revoked: true,
            notBefore: now.AddDays(-1));
        server.Serve("/intermediate.crl", pki.MakeCrl());
        server.Serve("/root.crl", pki.MakeRootCrl());
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(pki.Root, trustAnchor: true);
        store.Add(pki.Intermediate);
        store.Add(good);
        store.Add(revoked);
        using var checker = new RevocationChecker(store,
            new RevocationOptions { UseOcsp = false, Timeout = TimeSpan.FromSeconds(30) });

        RecipientMatch match = RecipientLookup.Find(store, "frank@example.com",
            new RecipientLookupOptions
            {
                TrustAnchors = store.GetTrustAnchors(),
                Revocation = checker,
            });

        Assert.Equal(good.RawData, match.Certificate!.RawData);
        string rejected = Assert.Single(match.Rejected);
        Assert.Contains("is revoked (CRL from", rejected);
    }

    [Fact]
    public void Find_OnlyCertificateRevokedInCachedCrlNoAnchors_NoneWithReason()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), 1);
        X509Certificate2 revoked = pki.Issue("hank@example.com", revoked: true);
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(pki.Intermediate);
        store.Add(revoked);
        store.AddCrl(pki.MakeCrl(), pki.CrlUrl);

        RecipientMatch match = RecipientLookup.Find(store, "hank@example.com");

        Assert.False(match.Found);
        string thumbprint = CertificateFacts.Thumbprint(revoked)[..16];
        Assert.Equal($"No certificate for hank@example.com can be encrypted to: "
            + $"'CN=hank@example.com' ({thumbprint}): The certificate 'CN=hank@example.com' "
            + $"is revoked (CRL from {pki.CrlUrl}).", match.Reason);
    }

    [Fact]
    public void Find_NewestRevokedInCachedCrlNoChecker_OlderGoodChosen()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), 1);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 good = pki.Issue("ida@example.com", notBefore: now.AddDays(-5));
        X509Certificate2 revoked = pki.Issue("ida@example.com", revoked: true,
            notBefore: now.AddDays(-1));
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(pki.Root, trustAnchor: true);
        store.Add(pki.Intermediate);
        store.Add(good);
        store.Add(revoked);
        store.AddCrl(pki.MakeCrl());

        RecipientMatch match = RecipientLookup.Find(store, "ida@example.com",
            new RecipientLookupOptions { TrustAnchors = store.GetTrustAnchors() });

        Assert.Equal(good.RawData, match.Certificate!.RawData);
        Assert.EndsWith("it is the only usable one.", match.Reason);
        Assert.EndsWith("is revoked (CRL from imported CRL)", Assert.Single(match.Rejected));
    }

    [Fact]
    public void Find_AnchorsGivenButNoPath_Rejected()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(1, 1);
        X509Certificate2 stranger = pki.Issue("gina@example.com");
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        store.Add(TestPki.Shared.Root, trustAnchor: true);
        store.Add(stranger);

        RecipientMatch match = RecipientLookup.Find(store, "gina@example.com",
            new RecipientLookupOptions { TrustAnchors = store.GetTrustAnchors() });

        Assert.False(match.Found);
        Assert.Contains("does not chain to any of the trust anchors", Assert.Single(match.Rejected));
    }

    // SMIMEEncryptionKeyPreference, issuerAndSerialNumber [0] IMPLICIT (RFC 8551 §2.5.3)
    internal static byte[] IssuerAndSerialPreference(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
        {
            writer.WriteEncodedValue(certificate.IssuerName.RawData);
            writer.WriteIntegerUnsigned(certificate.SerialNumberBytes.Span);
        }

        return writer.Encode();
    }
}
