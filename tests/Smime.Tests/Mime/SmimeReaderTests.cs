using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

public sealed class SmimeReaderTests
{
    [Fact]
    public void Read_XPkcs7SignatureSpelling_Valid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice))
            .Replace("protocol=\"application/pkcs7-signature\"",
                "protocol=\"application/x-pkcs7-signature\"")
            .Replace("Content-Type: application/pkcs7-signature;",
                "Content-Type: application/x-pkcs7-signature;");

        ReadResult result = Read(Bytes(signed));

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.Equal(LayerKind.ClearSigned, Assert.Single(result.Layers).Kind);
    }

    [Fact]
    public void Read_OctetStreamP7mWithoutSmimeType_OpaqueSignedValid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), opaque: true, alice)).Replace(
            "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m",
            "Content-Type: application/octet-stream; name=smime.p7m");

        ReadResult result = Read(Bytes(signed));

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.Equal(LayerKind.OpaqueSigned, Assert.Single(result.Layers).Kind);
    }

    [Fact]
    public void Read_XPkcs7MimeWithoutSmimeType_Decrypts()
    {
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        string encrypted = Text(Encrypt(
            TextMessage(), ContentEncryptionAlgorithm.Aes128Gcm, null, bob)).Replace(
            "Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m",
            "Content-Type: application/x-pkcs7-mime; name=smime.p7m");

        ReadResult result = Read(Bytes(encrypted), out byte[] content, keys: [bob]);

        Assert.Equal(LayerKind.AuthEnvelopedData, Assert.Single(result.Layers).Kind);
        Assert.Contains("this message is signed.", Text(content));
    }

    [Fact]
    public void Read_DecryptOnly_StopsAtSignedLayer()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        byte[] encrypted = Encrypt(TextMessage(), ContentEncryptionAlgorithm.Aes256Gcm,
            new SignOptions { Signers = [new CmsSigner(alice)] }, bob);
        using var output = new MemoryStream();

        ReadResult result = SmimeReader.Read(new MemoryStream(encrypted), new ReadOptions
        {
            DecryptionKeys = [bob],
            DecryptOnly = true,
        }, output);

        Assert.Equal(LayerKind.AuthEnvelopedData, Assert.Single(result.Layers).Kind);
        Assert.Equal(VerdictOutcome.NotSigned, result.Verdict.Outcome);
        Assert.Contains("Content-Type: multipart/signed;", Text(output.ToArray()));

        // What DecryptOnly wrote is itself a signed message that verifies.
        Assert.Equal(VerdictOutcome.Valid, Read(output.ToArray()).Verdict.Outcome);
    }

    [Fact]
    public void Read_OnlySenderHeaderMatchesSigner_SenderMismatch()
    {
        // Sender is as unsigned as From: matching it alone would let anyone change From.
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] message = [.. Bytes("Sender: alice@example.com\r\n"),
            .. TextMessage(from: "boss@example.com")];

        Verdict verdict = Read(Sign(message, alice)).Verdict;

        Assert.Equal(VerdictOutcome.SenderMismatch, verdict.Outcome);
        Assert.Equal(["boss@example.com"], verdict.SenderAddresses);
    }

    [Fact]
    public void Read_SecondSignerFromOtherAddress_SenderMismatch()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using X509Certificate2 carol = TestPki.Shared.Issue("carol@example.com");

        Verdict verdict = Read(Sign(TextMessage(), alice, carol)).Verdict;

        Assert.Equal(VerdictOutcome.SenderMismatch, verdict.Outcome);
        Assert.Contains("CN=carol@example.com", verdict.Reason);
    }

    [Fact]
    public void Read_ContentOutput_KeepsOuterHeadersAndInnerEntity()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");

        Read(Sign(TextMessage(), alice), out byte[] content);

        Assert.Equal(
            "From: Alice <alice@example.com>\r\nTo: Bob <bob@example.com>\r\n"
            + "Subject: S/MIME test\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "H=C3=A4llo Bob,\r\nthis message is signed.\r\n",
            Text(content));
    }

    [Fact]
    public void Read_ManySignedPartsBesideText_MalformedAtLimit()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string inner = Text(Sign(Bytes("Content-Type: text/plain\r\n\r\nx\r\n"), alice));
        string entity = inner[inner.IndexOf("Content-Type: multipart/signed", StringComparison.Ordinal)..];
        var message = new System.Text.StringBuilder(
            "From: alice@example.com\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n");
        for (int i = 0; i <= SmimeLimits.MaxSignedParts; i++)
        {
            message.Append("--o\r\n").Append(entity).Append("\r\n");
        }

        message.Append("--o--\r\n");
        Verdict verdict = Read(Bytes(message.ToString())).Verdict;

        Assert.Equal(VerdictOutcome.Malformed, verdict.Outcome);
        Assert.Contains($"more than {SmimeLimits.MaxSignedParts} signed parts", verdict.Reason);
    }

    [Fact]
    public void Read_GarbageEnvelopedData_FormatException()
    {
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com");
        string message =
            "From: alice@example.com\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nMIIBAAYJKoZIhvcNAQcDoA==\r\n";

        FormatException e = Assert.Throws<FormatException>(
            () => Read(Bytes(message), out _, keys: [bob]));

        Assert.Contains("enveloped-data", e.Message);
    }
}
