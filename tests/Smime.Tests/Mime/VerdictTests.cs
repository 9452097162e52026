using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

public sealed class VerdictTests
{
    [Fact]
    public void Read_SignedByFromAddress_Valid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");

        Verdict verdict = Read(Sign(TextMessage(), alice)).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
        Assert.True(verdict.IsValid);
        Assert.Equal(["alice@example.com"], verdict.SenderAddresses);
        Assert.Contains("CN=alice@example.com", verdict.Reason);
    }

    [Fact]
    public void Read_TamperedBodyByte_BadSignature()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice));

        string tampered = signed.Replace("this message is signed.", "this message is signet.");
        Verdict verdict = Read(Bytes(tampered)).Verdict;

        Assert.NotEqual(signed, tampered);
        Assert.Equal(VerdictOutcome.BadSignature, verdict.Outcome);
        Assert.Contains("CN=alice@example.com", verdict.Reason);
        Assert.False(Assert.Single(verdict.Signers).SignatureValid);
    }

    [Fact]
    public void Read_TamperedSignedHeader_BadSignature()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice));

        string tampered = signed.Replace("charset=utf-8", "charset=latin1");
        Verdict verdict = Read(Bytes(tampered)).Verdict;

        Assert.Equal(VerdictOutcome.BadSignature, verdict.Outcome);
    }

    [Fact]
    public void Read_NoTrustAnchors_Untrusted()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");

        Verdict verdict = Read(Sign(TextMessage(), alice), out _, trust: false).Verdict;

        Assert.Equal(VerdictOutcome.Untrusted, verdict.Outcome);
        Assert.Contains("no trust anchors were given", verdict.Reason);
        Assert.True(Assert.Single(verdict.Signers).SignatureValid);
    }

    [Fact]
    public void Read_ExpiredSigner_Untrusted()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 old = TestPki.Shared.Issue(
            "alice@example.com", notBefore: now.AddDays(-1.5), notAfter: now.AddHours(-1));

        Verdict verdict = Read(Sign(TextMessage(), old)).Verdict;

        Assert.Equal(VerdictOutcome.Untrusted, verdict.Outcome);
        Assert.Equal(
            Smime.Certificates.ChainOutcome.Expired, Assert.Single(verdict.Signers).Chain.Outcome);
    }

    [Fact]
    public void Read_FromOtherAddress_SenderMismatch()
    {
        using X509Certificate2 mallory = TestPki.Shared.Issue("mallory@example.com");

        Verdict verdict = Read(Sign(TextMessage(from: "alice@example.com"), mallory)).Verdict;

        Assert.Equal(VerdictOutcome.SenderMismatch, verdict.Outcome);
        Assert.Contains("mallory@example.com", verdict.Reason);
        Assert.Contains("alice@example.com", verdict.Reason);
        Assert.False(Assert.Single(verdict.Signers).AddressMatches);
    }

    [Fact]
    public void Read_FromDomainUpperCase_Valid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");

        Verdict verdict = Read(Sign(TextMessage(from: "alice@EXAMPLE.COM"), alice)).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
    }

    [Fact]
    public void Read_NoFromHeader_SenderMismatch()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] message = Bytes(
            "Subject: no sender\r\nContent-Type: text/plain\r\n\r\nhello\r\n");

        Verdict verdict = Read(Sign(message, alice)).Verdict;

        Assert.Equal(VerdictOutcome.SenderMismatch, verdict.Outcome);
        Assert.Contains("no From address", verdict.Reason);
    }

    [Fact]
    public void Read_SignedDataWithZeroSigners_NoSigners()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] certsOnly = SignedData.CreateCertificatesOnly([alice]);
        string message =
            "From: alice@example.com\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; "
            + "micalg=sha-256; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            + "--b\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(certsOnly, Base64FormattingOptions.InsertLineBreaks)
            + "\r\n--b--\r\n";

        Verdict verdict = Read(Bytes(message)).Verdict;

        Assert.Equal(VerdictOutcome.NoSigners, verdict.Outcome);
        Assert.False(verdict.IsValid);
        Assert.Empty(verdict.Signers);
    }

    [Fact]
    public void Read_SignedPartBesideUnsignedPart_PartiallySigned()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string entity = SignedEntity("the genuine signed text\r\n", alice);
        string message =
            "From: alice@example.com\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
            + "--outer\r\nContent-Type: text/plain\r\n\r\nPlease wire the money today.\r\n"
            + "--outer\r\n" + entity + "\r\n--outer--\r\n";

        Verdict verdict = Read(Bytes(message)).Verdict;

        Assert.Equal(VerdictOutcome.PartiallySigned, verdict.Outcome);
        Assert.False(verdict.WholeMessageSigned);
        Assert.True(Assert.Single(verdict.Signers).SignatureValid);
    }

    [Fact]
    public void Read_UnsignedMessage_NotSigned()
    {
        ReadResult result = Read(TextMessage(), out byte[] content);

        Assert.Equal(VerdictOutcome.NotSigned, result.Verdict.Outcome);
        Assert.Empty(result.Layers);
        Assert.Contains("this message is signed.", Text(content));
    }

    [Fact]
    public void Read_MissingClosingBoundary_Malformed()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice));
        int close = signed.LastIndexOf("\r\n--", StringComparison.Ordinal);

        string cut = signed[..close] + "\r\n";
        Verdict verdict = Read(Bytes(cut)).Verdict;

        Assert.Equal(VerdictOutcome.Malformed, verdict.Outcome);
        Assert.Contains("closing boundary", verdict.Reason);
    }

    [Fact]
    public void Read_ClosingBoundaryWithoutDashes_Malformed()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice));
        int close = signed.LastIndexOf("--\r\n", StringComparison.Ordinal);

        string cut = signed[..close] + "\r\n";
        Verdict verdict = Read(Bytes(cut)).Verdict;

        Assert.Equal(VerdictOutcome.Malformed, verdict.Outcome);
    }

    [Fact]
    public void Read_TruncatedBase64Signature_Malformed()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice));
        int sigStart = signed.IndexOf("filename=smime.p7s\r\n\r\n", StringComparison.Ordinal) + 22;
        int sigEnd = signed.LastIndexOf("\r\n--", StringComparison.Ordinal);

        string cut = signed[..(sigStart + (sigEnd - sigStart) / 2)] + signed[sigEnd..];
        Verdict verdict = Read(Bytes(cut)).Verdict;

        Assert.Equal(VerdictOutcome.Malformed, verdict.Outcome);
        Assert.Contains("could not be decoded", verdict.Reason);
    }

    [Fact]
    public void Read_GarbageSignaturePart_Malformed()
    {
        string message =
            "From: alice@example.com\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; "
            + "micalg=sha-256; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            + "--b\r\nContent-Type: application/pkcs7-signature\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nTm90IGEgc2lnbmF0dXJl\r\n--b--\r\n";

        Verdict verdict = Read(Bytes(message)).Verdict;

        Assert.Equal(VerdictOutcome.Malformed, verdict.Outcome);
    }

    [Fact]
    public void Read_BareLfLineEnds_StillValid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice));

        // A transport that stores mail with LF line ends (RFC 8551 §3.1.1 canonical is CRLF).
        Verdict verdict = Read(Bytes(signed.Replace("\r\n", "\n"))).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
    }

    [Fact]
    public void Read_NonSeekableInput_SpoolsAndVerifies()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] signed = Sign(TextMessage(), alice);

        ReadResult result = SmimeReader.Read(
            new NonSeekableStream(signed),
            new ReadOptions { TrustAnchors = [TestPki.Shared.Root] },
            contentOutput: null);

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
    }

    [Fact]
    public void Read_NestedDeeperThanMaxDepth_FormatException()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] message = TextMessage();
        for (int i = 0; i < 3; i++)
        {
            message = Sign(message, opaque: i % 2 == 0, alice);
        }

        FormatException e = Assert.Throws<FormatException>(
            () => Read(message, out _, maxDepth: 2));
        ReadResult ok = Read(message, out _, maxDepth: 3);

        Assert.Contains("more than 2", e.Message);
        Assert.Equal(3, ok.Layers.Count);
        Assert.Equal(VerdictOutcome.Valid, ok.Verdict.Outcome);
    }

    [Fact]
    public void Read_OctetStreamP7sSignaturePart_Valid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice)).Replace(
            "Content-Type: application/pkcs7-signature; name=smime.p7s",
            "Content-Type: application/octet-stream; name=smime.p7s");

        Verdict verdict = Read(Bytes(signed)).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
    }

    private static string SignedEntity(string text, X509Certificate2 signer)
    {
        var entity = new MimeKit.TextPart("plain") { Text = text };
        using var output = new MemoryStream();
        SmimeWriter.WriteSignedEntity(
            entity, output, new SignOptions { Signers = [new CmsSigner(signer)] }, default);
        return Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\r', '\n');
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
