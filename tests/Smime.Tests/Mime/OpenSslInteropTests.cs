using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>Interop with OpenSSL 3.0's `openssl cms`, both ways.</summary>
public sealed class OpenSslInteropTests
{
    [Theory]
    [InlineData(TestKeyType.Rsa2048)]
    [InlineData(TestKeyType.EcP256)]
    public void Sign_Clear_OpenSslVerifies(TestKeyType keyType)
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com", keyType);
        TestPki.WritePem(TestPki.Shared.Root, dir.File("root.pem"));
        File.WriteAllBytes(dir.File("signed.eml"), Sign(TextMessage(), alice));

        Peer.Result result = Peer.OpenSsl(dir.Path,
            "cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem", "-out", "content.eml");

        Assert.Contains("Verification successful", result.StdErr);
        string content = File.ReadAllText(dir.File("content.eml"));
        Assert.Contains("Content-Transfer-Encoding: quoted-printable", content);
        Assert.Contains("this message is signed.", content);
    }

    [Fact]
    public void Sign_Opaque_OpenSslVerifies()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        TestPki.WritePem(TestPki.Shared.Root, dir.File("root.pem"));
        File.WriteAllBytes(dir.File("signed.eml"), Sign(TextMessage(), opaque: true, alice));

        Peer.Result result = Peer.OpenSsl(dir.Path,
            "cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem", "-out", "content.eml");

        Assert.Contains("Verification successful", result.StdErr);
        Assert.Contains("this message is signed.", File.ReadAllText(dir.File("content.eml")));
    }

    [Fact]
    public void Sign_TamperedThenOpenSsl_Fails()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        TestPki.WritePem(TestPki.Shared.Root, dir.File("root.pem"));
        string signed = Text(Sign(TextMessage(), alice));
        File.WriteAllText(dir.File("signed.eml"), signed.Replace("signed.", "signet."));

        Peer.Result result = Peer.Run("openssl",
            ["cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem"], dir.Path);

        Assert.NotEqual(0, result.ExitCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_OpenSslSigned_Valid(bool nodetach)
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        TestPki.WritePem(alice, dir.File("alice.pem"), dir.File("alice.key"));
        File.WriteAllBytes(dir.File("msg.eml"), TextMessage());
        string[] args =
        [
            "cms", "-sign", "-in", "msg.eml", "-signer", "alice.pem", "-inkey", "alice.key",
            "-out", "signed.eml", .. nodetach ? new[] { "-nodetach" } : [],
        ];
        Peer.OpenSsl(dir.Path, args);

        // openssl signs only the body; it writes the headers it was given as the content.
        byte[] signed = File.ReadAllBytes(dir.File("signed.eml"));
        ReadResult result = Read(WithFrom(signed), out byte[] content);

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.Equal(nodetach ? LayerKind.OpaqueSigned : LayerKind.ClearSigned,
            Assert.Single(result.Layers).Kind);
        Assert.Contains("this message is signed.", Text(content));
    }

    [Fact]
    public void Read_OpenSslSignedLfInput_Valid()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        TestPki.WritePem(alice, dir.File("alice.pem"), dir.File("alice.key"));
        File.WriteAllText(dir.File("msg.eml"),
            "Content-Type: text/plain\n\nhello\nworld\n");
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "msg.eml", "-signer", "alice.pem",
            "-inkey", "alice.key", "-out", "signed.eml");

        // openssl writes its own headers with LF, the signed part with CRLF, and a bare LF
        // before the next boundary: the part's bytes end at "world\r\n".
        ReadResult result = Read(WithFrom(File.ReadAllBytes(dir.File("signed.eml"))), out _);

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc)]
    public void Encrypt_OpenSslDecrypts(ContentEncryptionAlgorithm algorithm)
    {
        using var dir = new TempDir();
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        TestPki.WritePem(bob, dir.File("bob.pem"), dir.File("bob.key"));
        File.WriteAllBytes(dir.File("enc.eml"), Encrypt(TextMessage(), algorithm, null, bob));

        Peer.OpenSsl(dir.Path,
            "cms", "-decrypt", "-in", "enc.eml", "-recip", "bob.pem", "-inkey", "bob.key",
            "-out", "plain.eml");

        string plain = File.ReadAllText(dir.File("plain.eml"));
        Assert.StartsWith("Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n", plain);
        Assert.Contains("this message is signed.", plain);
    }

    [Theory]
    [InlineData("-aes-256-gcm", LayerKind.AuthEnvelopedData)]
    [InlineData("-aes256", LayerKind.EnvelopedData)]
    public void Read_OpenSslEncrypted_Decrypts(string cipher, LayerKind kind)
    {
        using var dir = new TempDir();
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        TestPki.WritePem(bob, dir.File("bob.pem"));
        File.WriteAllBytes(dir.File("msg.eml"), TextMessage());
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", cipher, "-in", "msg.eml", "-out", "enc.eml", "bob.pem");

        ReadResult result = Read(File.ReadAllBytes(dir.File("enc.eml")), out byte[] content, keys: [bob]);

        Assert.Equal(kind, Assert.Single(result.Layers).Kind);
        Assert.Equal(VerdictOutcome.NotSigned, result.Verdict.Outcome);
        Assert.Contains("this message is signed.", Text(content));
    }

    [Fact]
    public void Read_OpenSslSignedThenEncrypted_ValidThroughBothLayers()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        TestPki.WritePem(alice, dir.File("alice.pem"), dir.File("alice.key"));
        TestPki.WritePem(bob, dir.File("bob.pem"));
        File.WriteAllBytes(dir.File("msg.eml"), TextMessage());
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-in", "msg.eml", "-signer", "alice.pem",
            "-inkey", "alice.key", "-out", "signed.eml");
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-aes-256-gcm", "-in", "signed.eml",
            "-out", "enc.eml", "bob.pem");

        ReadResult result = Read(WithFrom(File.ReadAllBytes(dir.File("enc.eml"))), out _, keys: [bob]);

        Assert.Equal([LayerKind.AuthEnvelopedData, LayerKind.ClearSigned],
            result.Layers.Select(l => l.Kind));
        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
    }

    // openssl cms writes only MIME headers; the From a mail client would keep is added back.
    private static byte[] WithFrom(byte[] message) =>
        [.. Bytes("From: Alice <alice@example.com>\r\n"), .. message];
}
