using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>
/// Signed messages changed after signing so that a mail client shows something the signature
/// does not cover: a sender, a header line, a part or a content type.
/// </summary>
public sealed class SpoofedMessageTests
{
    private const string SignedFrom = "From: Alice <alice@example.com>";

    [Theory]
    [InlineData("alice@example.com;evil@evil.com",
        "';' after the address at character 18")]
    [InlineData("alice@example.com@evil.com",
        "'@' after the address at character 18")]
    [InlineData("<alice@example.com>@evil.com",
        "'@' where a comma between mailboxes or the end of the field belongs at character 20")]
    [InlineData("alice@example.com(x)@evil.com",
        "'@' after the address at character 21")]
    [InlineData("alice@example.com\\@evil.com",
        "'\\' after the address at character 18")]
    [InlineData("<alice@example.com",
        "the end of the field where '>' closing the address belongs at character 19")]
    [InlineData("alice@example.com>",
        "'>' after the address at character 18")]
    [InlineData("alice@example.com\vevil@evil.com",
        "the character U+000B after the address at character 18")]
    [InlineData("\"PayPal Security\" <>, alice@example.com",
        "an empty address '<>' at character 20")]
    [InlineData("ceo@bank.com <>, <alice@example.com>",
        "'<' after the address at character 14")]
    [InlineData("Bank CEO:;, alice@example.com",
        "a group (a display name followed by ':'), which names no sender at character 9")]
    [InlineData("alice@example.com, ",
        "an empty mailbox (RFC 5322 §4.4 list syntax is not accepted) at character 20")]
    [InlineData("Alice <@relay.example:alice@example.com>",
        "an obsolete source route (RFC 5322 §4.4) at character 8")]
    [InlineData("Alice <alice@example_com>",
        "the domain 'example_com', which is not a DNS name at character 25")]
    [InlineData("Alice <\"\"@example.com>",
        "an empty local part at character 10")]
    [InlineData("Alice <alice@example.com>, Bob",
        "the end of the field where '@' after the local part belongs at character 31")]
    public void Read_FromFieldNotAMailboxList_SenderMismatch(string from, string problem)
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice)).Replace(SignedFrom, "From: " + from);

        Verdict verdict = Read(Bytes(signed)).Verdict;

        string shown = from.Replace('\v', '?').Trim();
        Assert.Equal(VerdictOutcome.SenderMismatch, verdict.Outcome);
        Assert.Equal($"The From header field \"{shown}\" is not a well-formed mailbox list "
            + $"(RFC 5322 §3.4): {problem}.", verdict.Reason);
    }

    [Theory]
    [InlineData("\"Smith, Alice \\\"Al\\\"\" <alice@example.com>")]
    [InlineData("=?utf-8?q?Al=C3=AFce_Smith?= <alice@example.com>")]
    [InlineData("Alice (work) <alice@example.com> (office)")]
    [InlineData("(comment) alice@example.com (another)")]
    [InlineData("Alice B. Smith <alice@example.com>")]
    [InlineData("Alice\r\n <alice@EXAMPLE.COM>")]
    [InlineData("\"Alice\" <alice@example.com>, Alice Again <alice@example.com>")]
    [InlineData("J\u00f6rg <alice@example.com>")]
    public void Read_FromFieldWellFormed_Valid(string from)
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice)).Replace(SignedFrom, "From: " + from);

        Verdict verdict = Read(Bytes(signed)).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
    }

    [Theory]
    [InlineData("evil@evil.com;alice@example.com",
        "';' after the address at character 14")]
    [InlineData("Alice <alice@example.com>, Bob <bob@example.com>", null)]
    public void Read_SenderFieldNotOneMailbox_SenderMismatch(string sender, string? problem)
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice))
            .Replace(SignedFrom, SignedFrom + "\r\nSender: " + sender);

        Verdict verdict = Read(Bytes(signed)).Verdict;

        Assert.Equal(VerdictOutcome.SenderMismatch, verdict.Outcome);
        Assert.Equal(problem is null
            ? "The Sender header field names 2 mailboxes, not one (RFC 5322 §3.6.2)."
            : $"The Sender header field \"{sender}\" is not a well-formed mailbox list "
                + $"(RFC 5322 §3.4): {problem}.", verdict.Reason);
    }

    [Fact]
    public void Read_ColonlessLineInOuterHeader_RefusedWritingNothing()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice));
        int end = signed.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string tampered = signed[..end] + "\r\nPS new bank account IBAN DE00 6666" + signed[end..];
        using var output = new MemoryStream();

        var e = Assert.Throws<FormatException>(() => SmimeReader.Read(
            new MemoryStream(Bytes(tampered)),
            new ReadOptions { TrustAnchors = [TestPki.Shared.Root] },
            output));

        Assert.Equal($"The header line at byte {end + 2} (\"PS new bank account IBAN DE00 6666\") "
            + "is not a header field: it has no colon after a field name (RFC 5322 §2.2); "
            + "the message is refused.", e.Message);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Read_ColonlessLineInSignedPartHeader_Refused()
    {
        // The signature covers the line, but a reader still ends the part's header there.
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] message = Bytes("From: Alice <alice@example.com>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\nX-Note note\r\n\r\nhi\r\n--b--\r\n");

        var e = Assert.Throws<FormatException>(() => Read(Sign(message, alice)));

        Assert.Matches("^The header line at byte [0-9]+ \\(\"X-Note note\"\\) is not a header "
            + "field: it has no colon after a field name \\(RFC 5322 §2.2\\); the message is "
            + "refused\\.$", e.Message);
    }

    [Fact]
    public void Read_MboxFromLineFirst_ValidAndNotCopied()
    {
        // Allowed only as the very first line: MimeKit drops it, so -o never copies it.
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] message = [.. Bytes("From alice@example.com Thu Dec  3 10:00:00 2026\r\n"),
            .. Sign(TextMessage(), alice)];

        ReadResult result = Read(message, out byte[] content);

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.StartsWith("From: Alice <alice@example.com>\r\n", Text(content));
        Assert.DoesNotContain("From alice@example.com Thu", Text(content));
    }

    [Fact]
    public void Read_MboxFromLineAfterFirst_Refused()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice)).Replace(
            SignedFrom, SignedFrom + "\r\nFrom evil@evil.com Thu Dec  3 10:00:00 2026");

        var e = Assert.Throws<FormatException>(() => Read(Bytes(signed)));

        Assert.Equal("The header line at byte 33 (\"From evil@evil.com Thu Dec  3 10:00:00 "
            + "2026\") is not a header field: it has no colon after a field name "
            + "(RFC 5322 §2.2); the message is refused.", e.Message);
    }

    [Theory]
    [InlineData("; boundary=\"ZZ\"", "names the parameter boundary twice")]
    [InlineData("; BOUNDARY=ZZ", "names the parameter boundary twice")]
    [InlineData("; boundary*0=ZZ", "names the parameter boundary twice")]
    [InlineData("; boundary*=utf-8''ZZ", "names the parameter boundary twice")]
    [InlineData(" boundary=\"ZZ\"", "has text after a quoted value (\"boundary=\"ZZ\"\")")]
    [InlineData(";; x=y", "has an empty parameter")]
    [InlineData("; protocol=\"application/pkcs7-mime\"", "names the parameter protocol twice")]
    public void Read_ContentTypeParameterRepeatedAfterSigning_Malformed(
        string added,
        string problem)
    {
        // A reader taking the last boundary sees only the unsigned part after the signed one.
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice));
        string boundary = Regex.Match(signed, "boundary=\"([^\"]+)\"").Groups[1].Value;
        string tampered = signed.Replace($"boundary=\"{boundary}\"",
                $"boundary=\"{boundary}\"{added}")
            .Replace($"--{boundary}--\r\n", $"--{boundary}--\r\n--ZZ\r\n"
                + "Content-Type: text/plain\r\n\r\nEVIL: wire the money\r\n--ZZ--\r\n");

        Verdict verdict = Read(Bytes(tampered)).Verdict;

        Assert.Equal(VerdictOutcome.Malformed, verdict.Outcome);
        Assert.Equal($"The Content-Type field of the multipart/signed entity {problem}; "
            + "readers may disagree on its meaning.", verdict.Reason);
    }

    [Fact]
    public void Read_RepeatedParameterInsideSignedContent_Malformed()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] message = Bytes(Text(TextMessage()).Replace(
            "charset=utf-8", "charset=utf-8; charset=koi8-r"));

        Verdict verdict = Read(Sign(message, opaque: true, alice)).Verdict;

        Assert.Equal(VerdictOutcome.Malformed, verdict.Outcome);
        Assert.Equal("The Content-Type field of the text/plain entity names the parameter "
            + "charset twice; readers may disagree on its meaning.", verdict.Reason);
    }

    [Fact]
    public void Read_RfC2231SectionsOfOneParameter_Valid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] message = Bytes(Text(TextMessage()).Replace(
            "charset=utf-8", "charset=utf-8; name*0=\"a\"; name*1*=''b; name2=c;"));

        Verdict verdict = Read(Sign(message, alice)).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
    }

    [Fact]
    public void Read_OpaqueSignedTstInfo_Malformed()
    {
        // RFC 8551 §2.4.1: the signed content of a mail is id-data, never a time-stamp token.
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] signedData = SignedData.CreateEncapsulated(
            [new CmsSigner(alice)], Bytes("Content-Type: text/plain\r\n\r\nhello\r\n"),
            "1.2.840.113549.1.9.16.1.4");

        Verdict verdict = Read(OpaqueMessage(signedData)).Verdict;

        Assert.Equal(VerdictOutcome.Malformed, verdict.Outcome);
        Assert.Equal("The SignedData in the application/pkcs7-mime signed-data part signs "
            + "content of type 1.2.840.113549.1.9.16.1.4, not a MIME entity "
            + "(id-data, 1.2.840.113549.1.7.1).", verdict.Reason);
    }

    [Fact]
    public void Read_OpenSslOpaqueSignedTstInfo_Malformed()
    {
        using var dir = new TempDir();
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        TestPki.WritePem(alice, dir.File("alice.pem"), dir.File("alice.key"));
        File.WriteAllText(dir.File("content"), "Content-Type: text/plain\r\n\r\nhello\r\n");
        Peer.OpenSsl(dir.Path, "cms", "-sign", "-nodetach", "-binary", "-outform", "DER",
            "-econtent_type", "1.2.840.113549.1.9.16.1.4", "-in", "content",
            "-signer", "alice.pem", "-inkey", "alice.key", "-out", "signed.der");

        Verdict verdict = Read(OpaqueMessage(File.ReadAllBytes(dir.File("signed.der")))).Verdict;

        Assert.Equal(VerdictOutcome.Malformed, verdict.Outcome);
        Assert.Contains("signs content of type 1.2.840.113549.1.9.16.1.4, not a MIME entity",
            verdict.Reason);
    }

    [Fact]
    public void Read_OpaqueSignedData_StillValid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] signedData = SignedData.CreateEncapsulated(
            [new CmsSigner(alice)], Bytes("Content-Type: text/plain\r\n\r\nhello\r\n"));

        Verdict verdict = Read(OpaqueMessage(signedData)).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
    }

    [Fact]
    public void Read_ManyEmptyParts_RefusedQuickly()
    {
        // 3 million parts took 51 s and 3 GB before the limit.
        byte[] message = Bytes("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=B"
            + "\r\n\r\n" + string.Concat(Enumerable.Repeat("--B\r\n\r\nx\r\n", 200_000))
            + "--B--\r\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var e = Assert.Throws<FormatException>(() => Read(message));

        Assert.Equal($"The message has more than {SmimeLimits.MaxEntities} MIME entities "
            + "(the next begins at byte 100061); it is refused.", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Sign_ManyEmptyParts_Refused()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] message = Bytes("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=B"
            + "\r\n\r\n" + string.Concat(Enumerable.Repeat("--B\r\n\r\nx\r\n", 20_000))
            + "--B--\r\n");

        var e = Assert.Throws<FormatException>(() => Sign(message, alice));

        Assert.StartsWith($"The message has more than {SmimeLimits.MaxEntities} MIME entities",
            e.Message);
    }

    [Fact]
    public void Read_DeeplyNestedMultiparts_Refused()
    {
        int levels = SmimeLimits.MaxEntityDepth + 1;
        string open = string.Concat(Enumerable.Range(0, levels).Select(
            i => $"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n"));
        string close = string.Concat(Enumerable.Range(0, levels).Reverse().Select(
            i => $"\r\n--b{i}--"));
        byte[] message = Bytes("From: a@example.com\r\n" + open
            + "Content-Type: text/plain\r\n\r\nx" + close + "\r\n");

        var e = Assert.Throws<FormatException>(() => Read(message));

        Assert.StartsWith($"The message nests MIME entities more than {SmimeLimits.MaxEntityDepth}"
            + " deep (at byte ", e.Message);
    }

    private static byte[] OpaqueMessage(byte[] signedData) =>
        Bytes("From: Alice <alice@example.com>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(signedData, Base64FormattingOptions.InsertLineBreaks)
            + "\r\n");
}
