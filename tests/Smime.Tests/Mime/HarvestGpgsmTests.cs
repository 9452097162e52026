using System.Security.Cryptography.X509Certificates;
using MimeKit;
using Smime.Certificates;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>
/// RFC 8551 §2.7.1 end to end with gpgsm 2.2: harvest its signed mail, then encrypt to the
/// sender with a cipher from its announced capabilities (gpgsm has no AES-GCM).
/// </summary>
public sealed class HarvestGpgsmTests
{
    private const string Entity =
        "Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned by gpgsm.\r\n";

    [Fact]
    public void Harvest_GpgsmSigned_ThenEncryptWithItsCapabilities_GpgsmDecrypts()
    {
        using var dir = new TempDir();
        using var gpgsm = new GpgsmHome(dir);
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        gpgsm.ImportKey(alice);
        File.WriteAllText(dir.File("part.txt"), Entity);
        Peer.Result sign = gpgsm.RunWithPassphrase(
            "--detach-sign", "-u", "alice@example.com", "-o", "smime.p7s", "part.txt");
        Assert.True(sign.ExitCode == 0, sign.StdErr);
        File.WriteAllBytes(dir.File("mail.eml"),
            FrameClearSigned(Entity, File.ReadAllBytes(dir.File("smime.p7s")), "harvest"));
        using CertificateStore store = CertificateStore.Open(dir.File("store"), 1000);
        store.Add(TestPki.Shared.Root, trustAnchor: true);

        HarvestReport report = MessageHarvester.HarvestFiles(store, [dir.File("mail.eml")]);

        Assert.Equal(1, report.MessagesHarvested);
        SenderRecord sender = store.GetSender("alice@example.com")!;
        Assert.NotEmpty(sender.Capabilities);
        Assert.DoesNotContain(sender.Capabilities, c => c.Oid == Oids.Aes256Gcm);
        ContentEncryptionAlgorithm algorithm = AlgorithmChoice.Choose([sender.Capabilities], out _);

        // gpgsm 2.2 announces AES-128-CBC first; the first producible entry wins.
        Assert.Equal(ContentEncryptionAlgorithm.Aes128Cbc, algorithm);
        RecipientMatch match = RecipientLookup.Find(store, "alice@example.com",
            new RecipientLookupOptions { TrustAnchors = store.GetTrustAnchors() });
        byte[] encrypted = Encrypt(TextMessage(), algorithm, null, match.Certificate!);
        var part = Assert.IsAssignableFrom<MimePart>(
            MimeMessage.Load(new MemoryStream(encrypted)).Body);
        using (FileStream der = File.Create(dir.File("enc.der")))
        {
            part.Content!.DecodeTo(der);
        }

        Peer.Result decrypt = gpgsm.RunWithPassphrase("--decrypt", "enc.der");

        Assert.True(decrypt.ExitCode == 0, decrypt.StdErr);
        Assert.Contains("this message is signed.", decrypt.StdOut);
    }
}
