using System.Security.Cryptography.X509Certificates;
using Smime.Mime;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>Messages changed after signing to pass as someone else's, and hostile framing.</summary>
public sealed class HostileMessageTests
{
    [Fact]
    public void Read_SecondFromHeaderAddedAfterSigning_SenderMismatch()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] signed = [.. Bytes("From: Mallory <mallory@evil.example>\r\n"),
            .. Sign(TextMessage(), alice)];

        Verdict verdict = Read(signed).Verdict;

        Assert.Equal(VerdictOutcome.SenderMismatch, verdict.Outcome);
        Assert.Contains("mallory@evil.example", verdict.Reason);
    }

    [Fact]
    public void Read_SecondMailboxAddedToFrom_SenderMismatch()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice)).Replace(
            "From: Alice <alice@example.com>",
            "From: Alice <alice@example.com>, Mallory <mallory@evil.example>");

        Verdict verdict = Read(Bytes(signed)).Verdict;

        Assert.Equal(VerdictOutcome.SenderMismatch, verdict.Outcome);
        Assert.Equal(["alice@example.com", "mallory@evil.example"], verdict.SenderAddresses);
    }

    [Fact]
    public void Read_FromChangedAndSenderAddedAfterSigning_SenderMismatch()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice)).Replace(
            "From: Alice <alice@example.com>",
            "From: CEO <ceo@example.com>\r\nSender: Alice <alice@example.com>");

        Verdict verdict = Read(Bytes(signed)).Verdict;

        Assert.Equal(VerdictOutcome.SenderMismatch, verdict.Outcome);
        Assert.Contains("ceo@example.com", verdict.Reason);
    }

    [Fact]
    public void Read_TwoSignersEachForOneFromMailbox_Valid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        using X509Certificate2 carol = TestPki.Shared.Issue("carol@example.com");
        string message = Text(TextMessage()).Replace(
            "From: Alice <alice@example.com>",
            "From: Alice <alice@example.com>, Carol <carol@example.com>");

        Verdict verdict = Read(Sign(Bytes(message), alice, carol)).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
    }

    [Fact]
    public void Read_EmptyInput_FormatExceptionSayingEmpty()
    {
        var e = Assert.Throws<FormatException>(() => Read([]));

        Assert.Equal("The input is empty; it holds no message.", e.Message);
    }

    [Fact]
    public void Read_BinaryGarbage_FormatExceptionNotMime()
    {
        byte[] garbage = new byte[4096];
        new Random(7).NextBytes(garbage);

        var e = Assert.Throws<FormatException>(() => Read(garbage));

        Assert.StartsWith("The input is not a MIME message: ", e.Message);
    }

    [Theory]
    [InlineData("Subject: {0}\r\n")]
    [InlineData("Subject: x\r\n{1}")]
    [InlineData("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nX-A: {0}\r\n")]
    [InlineData("Content-Type: message/rfc822\r\n\r\nSubject: {0}\r\n")]
    public void Read_HeaderFieldOverLimit_RefusedQuickly(string shape)
    {
        // 8 MiB in one field took MimeKit about 10 s, 50 MiB several minutes.
        string huge = new('A', 8 * 1024 * 1024);
        string folded = string.Concat(Enumerable.Repeat("X-A: a\r\n " + new string('A', 70)
            + "\r\n", 1)) + string.Concat(Enumerable.Repeat(" " + new string('A', 70) + "\r\n",
            120_000));
        byte[] message = Bytes("From: alice@example.com\r\n"
            + string.Format(shape, huge, folded) + "\r\nbody\r\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var e = Assert.Throws<FormatException>(() => Read(message));

        Assert.Contains($"is longer than {SmimeLimits.MaxHeaderFieldLength} bytes", e.Message);
        // The message proves our limit stopped it; the bound only catches a hang, with room for
        // a loaded two-core machine (unguarded, 8 MiB took MimeKit ~10 s and 50 MiB minutes).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Read_BodyLineOverHeaderLimit_NotRefused()
    {
        // Binary bodies (AS2, RFC 4130) may hold lines of any length.
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string line = new('A', 2 * SmimeLimits.MaxHeaderFieldLength);
        byte[] message = Bytes(Text(TextMessage()) + line + "\r\n");

        Verdict verdict = Read(Sign(message, alice)).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
    }

    [Fact]
    public void Read_ManyHeaderFieldsJustUnderLimit_Accepted()
    {
        string field = "X-A: " + new string('A', SmimeLimits.MaxHeaderFieldLength - 16) + "\r\n";
        byte[] message = Bytes("From: alice@example.com\r\n"
            + string.Concat(Enumerable.Repeat(field, 8)) + "\r\nbody\r\n");

        Verdict verdict = Read(message).Verdict;

        Assert.Equal(VerdictOutcome.NotSigned, verdict.Outcome);
    }

    [Theory]
    [InlineData("Content-Type: text/plain")]
    [InlineData("Content-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64")]
    public void Read_SecondFramingHeaderAddedAfterSigning_Malformed(string added)
    {
        // A reader taking the last Content-Type would show the unsigned preamble as the text.
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        string signed = Text(Sign(TextMessage(), alice));
        int end = signed.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string tampered = signed[..end] + "\r\n" + added + signed[end..];

        Verdict verdict = Read(Bytes(tampered)).Verdict;

        Assert.Equal(VerdictOutcome.Malformed, verdict.Outcome);
        Assert.Contains("readers may disagree on which one counts", verdict.Reason);
    }

    [Fact]
    public void Read_SignedMessageRfc822WithOtherInnerFrom_SenderMismatch()
    {
        // RFC 8551 §3.1: a client protecting headers shows the inner From, signed or not.
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] message = Bytes("From: Alice <alice@example.com>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: message/rfc822\r\n\r\n"
            + "From: CEO <ceo@example.com>\r\n"
            + "Subject: pay the invoice\r\n\r\n"
            + "Pay it.\r\n");

        Verdict verdict = Read(Sign(message, alice)).Verdict;

        Assert.Equal(VerdictOutcome.SenderMismatch, verdict.Outcome);
        Assert.Equal(["alice@example.com", "ceo@example.com"], verdict.SenderAddresses);
    }

    [Fact]
    public void Read_SignedMessageRfc822WithSameInnerFrom_Valid()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        byte[] message = Bytes("From: Alice <alice@example.com>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: message/rfc822\r\n\r\n"
            + "From: Alice <alice@example.com>\r\n"
            + "Subject: protected\r\n\r\n"
            + "Hello.\r\n");

        Verdict verdict = Read(Sign(message, alice)).Verdict;

        Assert.Equal(VerdictOutcome.Valid, verdict.Outcome);
    }
}
