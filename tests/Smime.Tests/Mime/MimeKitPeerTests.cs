using System.Security.Cryptography.X509Certificates;
using MimeKit;
using MimeKit.Cryptography;
using ContentEncryptionAlgorithm = Smime.Cms.ContentEncryptionAlgorithm;
using MimeKitRecipient = MimeKit.Cryptography.CmsRecipient;
using MimeKitSigner = MimeKit.Cryptography.CmsSigner;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>
/// MimeKit's own S/MIME (BouncyCastle, test project only) as a C# peer. MimeKit cannot do
/// AES-GCM (authEnveloped-data), so only CBC enveloped-data is exchanged with it.
/// </summary>
public sealed class MimeKitPeerTests
{
    [Fact]
    public void Read_MimeKitMultipartSigned_Valid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using var context = new TemporarySecureMimeContext();
        MimeMessage message = MimeMessage.Load(new MemoryStream(TextMessage()));
        var signer = new MimeKitSigner(ToBouncyCastle(alice), ToBouncyKey(alice))
        {
            DigestAlgorithm = DigestAlgorithm.Sha256,
        };

        message.Body = MultipartSigned.Create(context, signer, message.Body!);
        ReadResult result = Read(ToBytes(message));

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
    }

    [Fact]
    public void Read_MimeKitEncryptedCbc_Decrypts()
    {
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        using var context = new TemporarySecureMimeContext();
        MimeMessage message = MimeMessage.Load(new MemoryStream(TextMessage()));
        var recipients = new CmsRecipientCollection { new MimeKitRecipient(ToBouncyCastle(bob)) };

        message.Body = ApplicationPkcs7Mime.Encrypt(context, recipients, message.Body!);
        ReadResult result = Read(ToBytes(message), out byte[] content, keys: [bob]);

        Assert.Equal(LayerKind.EnvelopedData, Assert.Single(result.Layers).Kind);
        Assert.Contains("this message is signed.", Text(content));
    }

    [Fact]
    public void Sign_Clear_MimeKitVerifies()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using var context = new TemporarySecureMimeContext();
        context.Import(X509CertificateLoader.LoadCertificate(TestPki.Shared.Root.RawData));
        MimeMessage signed = MimeMessage.Load(new MemoryStream(Sign(TextMessage(), alice)));

        var multipart = Assert.IsType<MultipartSigned>(signed.Body);
        DigitalSignatureCollection signatures = multipart.Verify(context);

        IDigitalSignature signature = Assert.Single(signatures);
        Assert.True(signature.Verify());
        Assert.Equal("alice@example.com", signature.SignerCertificate?.Email);
    }

    [Fact]
    public void Encrypt_Cbc_MimeKitDecrypts()
    {
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        using var context = new TemporarySecureMimeContext();
        context.Import(bob);
        byte[] encrypted = Encrypt(TextMessage(), ContentEncryptionAlgorithm.Aes256Cbc, null, bob);
        MimeMessage message = MimeMessage.Load(new MemoryStream(encrypted));

        var pkcs7 = Assert.IsType<ApplicationPkcs7Mime>(message.Body);
        MimeEntity plain = pkcs7.Decrypt(context);

        var text = Assert.IsType<TextPart>(plain);
        // TextPart.Text gives the platform's line ends.
        Assert.Equal(BodyText.ReplaceLineEndings(), text.Text.ReplaceLineEndings());
    }

    private static byte[] ToBytes(MimeMessage message)
    {
        using var output = new MemoryStream();
        message.WriteTo(output);
        return output.ToArray();
    }

    private static Org.BouncyCastle.X509.X509Certificate ToBouncyCastle(X509Certificate2 cert) =>
        new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(cert.RawData);

    private static Org.BouncyCastle.Crypto.AsymmetricKeyParameter ToBouncyKey(X509Certificate2 cert)
    {
        System.Security.Cryptography.AsymmetricAlgorithm key =
            (System.Security.Cryptography.AsymmetricAlgorithm?)cert.GetRSAPrivateKey()
            ?? cert.GetECDsaPrivateKey()!;
        return Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
    }
}
