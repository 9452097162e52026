using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Certificates;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

public sealed class MessageHarvesterTests
{
    [Fact]
    public void Harvest_ValidSignedMessage_StoresCertificateAndCapabilities()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using CertificateStore store = OpenWithRoot(dir);
        ReadResult result = ReadWithStore(store, Sign(TextMessage(), alice));

        HarvestSummary? summary = MessageHarvester.Harvest(store, result, out string? why);

        Assert.NotNull(summary);
        Assert.Null(why);
        Assert.Equal(alice.RawData, Assert.Single(summary.NewCertificates).Certificate.RawData);
        Assert.Equal(["alice@example.com"], summary.UpdatedSenders);
        SenderRecord sender = store.GetSender("alice@EXAMPLE.com")!;
        Assert.NotNull(sender.SigningTime);
        Assert.Contains(sender.Capabilities, c => c.Oid == Oids.Aes256Gcm);
    }

    [Fact]
    public void Harvest_TamperedSignedMessage_NothingStored()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using CertificateStore store = OpenWithRoot(dir);
        byte[] signed = Sign(TextMessage(), alice);
        string text = Encoding.UTF8.GetString(signed).Replace("this message is signed",
            "this message is forged");
        ReadResult result = ReadWithStore(store, Encoding.UTF8.GetBytes(text));

        HarvestSummary? summary = MessageHarvester.Harvest(store, result, out string? why);

        Assert.Null(summary);
        Assert.StartsWith("a signature does not verify", why);
        Assert.Single(store.List());
        Assert.Null(store.GetSender("alice@example.com"));
    }

    [Fact]
    public void Harvest_OlderSigningTimeAfterNewer_SenderRecordKept()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        SmimeCapability gcm = new(Oids.Aes256Gcm, ReadOnlyMemory<byte>.Empty);
        SmimeCapability cbc = new(Oids.Aes128Cbc, ReadOnlyMemory<byte>.Empty);

        store.Harvest([new HarvestedSigner(alice, [], now, [gcm], default)]);
        HarvestSummary older = store.Harvest(
            [new HarvestedSigner(alice, [], now.AddDays(-1), [cbc], default)]);
        HarvestSummary undated = store.Harvest(
            [new HarvestedSigner(alice, [], null, [cbc], default)]);

        Assert.Empty(older.UpdatedSenders);
        Assert.Empty(undated.UpdatedSenders);
        Assert.Equal(Oids.Aes256Gcm, Assert.Single(store.GetSender("alice@example.com")!
            .Capabilities).Oid);
    }

    [Fact]
    public void Harvest_UntrustedSigner_NothingStored()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        ReadResult result = ReadWithStore(store, Sign(TextMessage(), alice));

        HarvestSummary? summary = MessageHarvester.Harvest(store, result,
            out NotHarvestedReason reason, out string? why);

        Assert.Null(summary);
        Assert.Equal(NotHarvestedReason.Untrusted, reason);
        Assert.Equal("the signer 'CN=alice@example.com' was not checked: no trust anchors "
            + "were given", why);
        Assert.Empty(store.List());
        Assert.Null(store.GetSender("alice@example.com"));
    }

    [Fact]
    public void Harvest_RevokedSignerInCachedCrl_StoreUnchanged()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), 1);
        X509Certificate2 mallory = pki.Issue("mallory@example.com", revoked: true,
            withOcsp: false);
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        store.Add(pki.Root, trustAnchor: true);
        store.AddCrl(pki.MakeCrl());
        byte[] signed = SignChained(TextMessage("mallory@example.com"), mallory, pki);
        using var offline = new RevocationChecker(store, new RevocationOptions { Offline = true });
        ReadResult result = ReadWithStore(store, signed, offline);

        HarvestSummary? summary = MessageHarvester.Harvest(store, result,
            out NotHarvestedReason reason, out string? why);

        Assert.Equal(VerdictOutcome.Untrusted, result.Verdict.Outcome);
        Assert.Null(summary);
        Assert.Equal(NotHarvestedReason.Revoked, reason);
        Assert.Equal("the signer 'CN=mallory@example.com' is revoked (CRL from imported CRL)",
            why);
        Assert.Single(store.List());
        Assert.Null(store.GetSender("mallory@example.com"));
    }

    [Fact]
    public void Harvest_ValidWithoutRevocationCheckButCachedCrlRevokes_StoreUnchanged()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), 1);
        X509Certificate2 mallory = pki.Issue("mallory@example.com", revoked: true,
            withOcsp: false);
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        store.Add(pki.Root, trustAnchor: true);
        store.AddCrl(pki.MakeCrl(), pki.CrlUrl);
        ReadResult result = ReadWithStore(store,
            SignChained(TextMessage("mallory@example.com"), mallory, pki));

        HarvestSummary? summary = MessageHarvester.Harvest(store, result,
            out NotHarvestedReason reason, out string? why);

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.Null(summary);
        Assert.Equal(NotHarvestedReason.Revoked, reason);
        Assert.Equal($"the signer 'CN=mallory@example.com' is revoked (CRL from {pki.CrlUrl})",
            why);
        Assert.Single(store.List());
    }

    [Fact]
    public void Harvest_ValidWithGoodCachedCrl_CertificatesAndCapabilitiesStored()
    {
        using var dir = new TempDir();
        using var pki = new RevocationPki(LoopbackHttpServer.FreePort(), 1);
        X509Certificate2 alice = pki.Issue("alice@example.com", withOcsp: false);
        pki.Issue("mallory@example.com", revoked: true, withOcsp: false);
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        store.Add(pki.Root, trustAnchor: true);
        store.AddCrl(pki.MakeCrl());
        using var offline = new RevocationChecker(store, new RevocationOptions { Offline = true });
        ReadResult result = ReadWithStore(store, SignChained(TextMessage(), alice, pki),
            offline);

        HarvestSummary? summary = MessageHarvester.Harvest(store, result, out string? why);

        Assert.Equal(VerdictOutcome.Untrusted, result.Verdict.Outcome);
        Assert.Null(summary);
        Assert.Contains("'CN=Revocation Test Intermediate' is unknown", why);
        Assert.Single(store.List());

        store.AddCrl(pki.MakeRootCrl());
        result = ReadWithStore(store, SignChained(TextMessage(), alice, pki), offline);
        summary = MessageHarvester.Harvest(store, result, out why);

        Assert.True(result.Verdict.IsValid, result.Verdict.Reason);
        Assert.NotNull(summary);
        Assert.Null(why);
        Assert.Equal(new[] { alice.Thumbprint, pki.Intermediate.Thumbprint }.Order(),
            summary.NewCertificates.Select(c => c.Certificate.Thumbprint).Order());
        Assert.Equal(3, store.List().Count);
        Assert.Contains(store.GetSender("alice@example.com")!.Capabilities,
            c => c.Oid == Oids.Aes256Gcm);
    }

    [Fact]
    public void Harvest_SenderMismatch_NothingStored()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using CertificateStore store = OpenWithRoot(dir);
        ReadResult result = ReadWithStore(store,
            Sign(TextMessage("ceo@example.com"), alice));

        HarvestSummary? summary = MessageHarvester.Harvest(store, result,
            out NotHarvestedReason reason, out string? why);

        Assert.Null(summary);
        Assert.Equal(NotHarvestedReason.SenderMismatch, reason);
        Assert.StartsWith("the signer does not match the sender (The certificate of "
            + "'CN=alice@example.com' is for alice@example.com, not the sender ceo@example.com",
            why);
        Assert.Single(store.List());
    }

    [Fact]
    public void HarvestFiles_MboxAndMaildir_EveryValidMessageHarvested()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        using CertificateStore store = OpenWithRoot(dir);
        byte[] fromAlice = Sign(TextMessage(), alice);
        byte[] fromBob = Sign(TextMessage("bob@example.com"), bob);
        byte[] forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(fromBob)
            .Replace("this message is signed", "this message is forged"));

        string mbox = dir.File("inbox.mbox");
        using (FileStream file = File.Create(mbox))
        {
            foreach (byte[] message in new[] { fromAlice, forged })
            {
                file.Write("From sender@example.com Thu Dec  3 10:00:00 2026\n"u8);
                file.Write(message);
                file.Write("\n"u8);
            }
        }

        string maildir = dir.File("Maildir");
        Directory.CreateDirectory(Path.Combine(maildir, "cur"));
        Directory.CreateDirectory(Path.Combine(maildir, "new"));
        Directory.CreateDirectory(Path.Combine(maildir, "tmp"));
        File.WriteAllBytes(Path.Combine(maildir, "new", "1.host:2,"), fromBob);
        File.WriteAllBytes(Path.Combine(maildir, "tmp", "2.host"), fromAlice);
        File.WriteAllBytes(Path.Combine(maildir, "cur", "3.host:2,S"), TextMessage());

        HarvestReport report = MessageHarvester.HarvestFiles(store, [mbox, maildir]);

        Assert.Equal(4, report.MessagesRead);
        Assert.Equal(3, report.MessagesSigned);
        Assert.Equal(2, report.MessagesHarvested);
        Assert.Equal(["alice@example.com", "bob@example.com"], report.UpdatedSenders.Order());
        Assert.Contains(report.Skipped, s => s.StartsWith($"{mbox} #2: a signature does not verify"));
        Assert.Equal(1, Assert.Single(report.SkippedByReason,
            r => r.Key == NotHarvestedReason.BadSignature).Value);
        Assert.Single(report.SkippedByReason);
        Assert.Equal(3, store.List().Count);
    }

    [Fact]
    public void Harvest_OpenSslSigned_ThenEncryptToSender_OpenSslDecrypts()
    {
        using var dir = new TempDir();
        using X509Certificate2 carol = TestPki.Shared.Issue("carol@example.com");
        TestPki.WritePem(carol, dir.File("carol.crt"), dir.File("carol.key"));
        File.WriteAllBytes(dir.File("msg.eml"), TextMessage("carol@example.com"));
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "msg.eml", "-signer", "carol.crt",
            "-inkey", "carol.key", "-out", "signed.eml");
        byte[] signed = File.ReadAllBytes(dir.File("signed.eml"));
        byte[] headers = Encoding.ASCII.GetBytes(
            "From: Carol <carol@example.com>\r\nTo: bob@example.com\r\n");
        using CertificateStore store = OpenWithRoot(dir);

        HarvestReport report = MessageHarvester.HarvestFiles(store, [WriteFile(dir, "in.eml",
            [.. headers, .. signed])]);
        Assert.Equal(1, report.MessagesHarvested);
        RecipientMatch match = RecipientLookup.Find(store, "carol@example.com",
            new RecipientLookupOptions { TrustAnchors = store.GetTrustAnchors() });
        Assert.True(match.Found, match.Reason);
        File.WriteAllBytes(dir.File("enc.eml"), Encrypt(TextMessage(),
            ContentEncryptionAlgorithm.Aes256Gcm, null, match.Certificate!));

        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "enc.eml", "-recip", "carol.crt",
            "-inkey", "carol.key", "-out", "plain.eml");
        Assert.Contains("this message is signed",
            File.ReadAllText(dir.File("plain.eml")));
    }

    private static string WriteFile(TempDir dir, string name, byte[] data)
    {
        File.WriteAllBytes(dir.File(name), data);
        return dir.File(name);
    }

    private static CertificateStore OpenWithRoot(TempDir dir)
    {
        CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        store.Add(TestPki.Shared.Root, trustAnchor: true);
        return store;
    }

    private static ReadResult ReadWithStore(
        CertificateStore store,
        byte[] message,
        RevocationChecker? revocation = null) =>
        SmimeReader.Read(new MemoryStream(message), new ReadOptions
        {
            TrustAnchors = store.GetTrustAnchors(),
            ExtraCertificates = store.GetAllCertificates(),
            Revocation = revocation,
        }, null);

    // A signer that sends its intermediate along, as mail clients do.
    private static byte[] SignChained(byte[] message, X509Certificate2 user, RevocationPki pki)
    {
        var signer = new CmsSigner(user);
        signer.ExtraCertificates.Add(pki.Intermediate);
        using var output = new MemoryStream();
        SmimeWriter.Sign(new MemoryStream(message), output,
            new SignOptions { Signers = [signer] });
        return output.ToArray();
    }
}
