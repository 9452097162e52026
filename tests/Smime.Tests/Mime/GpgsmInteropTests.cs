using System.Security.Cryptography.X509Certificates;
using System.Text;
using MimeKit;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>
/// Whole messages against gpgsm 2.2. gpgsm works on CMS objects, not MIME, so the tests hand it
/// the signed part's bytes and the detached signature, or the DER of the enveloped-data, and
/// frame its output as S/MIME themselves. gpgsm 2.2 has no AES-GCM and no RSA-OAEP, so only
/// CBC with PKCS#1 v1.5 is exchanged.
/// </summary>
public sealed class GpgsmInteropTests
{
    private const string Entity =
        "Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned by gpgsm for smime.\r\n";

    [Fact]
    public void Sign_Clear_GpgsmVerifiesTheSignedPart()
    {
        using var dir = new TempDir();
        using var gpgsm = new GpgsmHome(dir);
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice));
        (string part, byte[] signature) = SplitClearSigned(signed);
        File.WriteAllText(dir.File("part.txt"), part);
        File.WriteAllBytes(dir.File("smime.p7s"), signature);

        Peer.Result result = gpgsm.Run(null, "--verify", "smime.p7s", "part.txt");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("Good signature", result.StdErr);
        File.WriteAllText(dir.File("part.txt"), part.Replace("signed.", "signet."));
        Assert.NotEqual(0, gpgsm.Run(null, "--verify", "smime.p7s", "part.txt").ExitCode);
    }

    [Fact]
    public void Read_GpgsmDetachedSignatureFramedAsMultipartSigned_Valid()
    {
        using var dir = new TempDir();
        using var gpgsm = new GpgsmHome(dir);
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        gpgsm.ImportKey(alice);
        File.WriteAllText(dir.File("part.txt"), Entity);

        Peer.Result sign = gpgsm.RunWithPassphrase(
            "--detach-sign", "-u", "alice@example.com", "-o", "smime.p7s", "part.txt");

        Assert.True(sign.ExitCode == 0, sign.StdErr);
        byte[] message = FrameClearSigned(
            Entity, File.ReadAllBytes(dir.File("smime.p7s")), "signed by gpgsm");
        ReadResult result = Read(message, out byte[] content);
        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.EndsWith("Signed by gpgsm for smime.\r\n", Text(content));
        byte[] tampered = Bytes(Text(message).Replace("for smime", "for SMIME"));
        Assert.Equal(VerdictOutcome.BadSignature, Read(tampered).Verdict.Outcome);
    }

    [Fact]
    public void Encrypt_Aes256Cbc_GpgsmDecryptsTheEntity()
    {
        using var dir = new TempDir();
        using var gpgsm = new GpgsmHome(dir);
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        gpgsm.ImportKey(bob);
        byte[] encrypted = Encrypt(TextMessage(), ContentEncryptionAlgorithm.Aes256Cbc, null, bob);
        var part = Assert.IsAssignableFrom<MimePart>(
            MimeMessage.Load(new MemoryStream(encrypted)).Body);
        using (FileStream der = File.Create(dir.File("enc.der")))
        {
            part.Content!.DecodeTo(der);
        }

        Peer.Result result = gpgsm.RunWithPassphrase("--decrypt", "enc.der");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("Content-Type: text/plain; charset=utf-8", result.StdOut);
        Assert.Contains("Content-Transfer-Encoding: quoted-printable", result.StdOut);
        Assert.Contains("this message is signed.", result.StdOut);
    }

    [Fact]
    public void Read_GpgsmEncryptedEntity_DecryptsExactly()
    {
        using var dir = new TempDir();
        using var gpgsm = new GpgsmHome(dir);
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        TestPki.WritePem(bob, dir.File("bob.pem"));
        Assert.Equal(0, gpgsm.Run(null, "--import", "bob.pem").ExitCode);
        File.WriteAllText(dir.File("part.txt"), Entity);

        Peer.Result encrypt = gpgsm.Run(
            null, "--encrypt", "-r", "bob@example.com", "-o", "enc.der", "part.txt");

        Assert.True(encrypt.ExitCode == 0, encrypt.StdErr);
        string base64 = Convert.ToBase64String(
            File.ReadAllBytes(dir.File("enc.der")), Base64FormattingOptions.InsertLineBreaks);
        byte[] message = Bytes(
            "From: Alice <alice@example.com>\r\nTo: Bob <bob@example.com>\r\n"
            + "Subject: from gpgsm\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + base64 + "\r\n");
        ReadResult result = Read(message, out byte[] content, keys: [bob]);
        Assert.Equal(LayerKind.EnvelopedData, Assert.Single(result.Layers).Kind);
        Assert.EndsWith("\r\n\r\nSigned by gpgsm for smime.\r\n", Text(content));
        Assert.Contains("Subject: from gpgsm", Text(content));
    }

    /// <summary>The first part's exact bytes (RFC 1847 §2.1) and the decoded signature.</summary>
    private static (string Part, byte[] Signature) SplitClearSigned(string signed)
    {
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(signed)));
        var multipart = Assert.IsAssignableFrom<Multipart>(message.Body);
        string delimiter = "--" + multipart.Boundary;
        int first = signed.IndexOf(delimiter + "\r\n", StringComparison.Ordinal);
        int start = first + delimiter.Length + 2;
        int end = signed.IndexOf("\r\n" + delimiter, start, StringComparison.Ordinal);
        using var signature = new MemoryStream();
        Assert.IsAssignableFrom<MimePart>(multipart[1]).Content!.DecodeTo(signature);
        return (signed[start..end], signature.ToArray());
    }
}
