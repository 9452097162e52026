using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using Smime.Mime;

namespace Smime.Tests.Mime;

/// <summary>
/// The header-only parse of a message whose body is one leaf part must give what MimeKit's
/// full parse gives: the same headers, the same content bytes, the same offsets.
/// </summary>
public sealed class ParsedSourceTests
{
    private const string Pkcs7Headers =
        "From: Alice <alice@example.com>\r\n"
        + "To: Bob <bob@example.com>\r\n"
        + "Subject: folded\r\n  subject line\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
        + "Content-Transfer-Encoding: base64\r\n";

    public static TheoryData<string, string> Messages => new()
    {
        { "pkcs7-mime, CRLF", Pkcs7Headers + "\r\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\r\nAAAA\r\n" },
        { "pkcs7-mime, LF only", Pkcs7Headers.Replace("\r\n", "\n") + "\nMIAGCSqG\nAAAA\n" },
        { "no line break at the end", Pkcs7Headers + "\r\nMIAGCSqGSIb3DQEHA6CAMIACAQA=" },
        { "blank lines after the body", Pkcs7Headers + "\r\nMIAGCSqG\r\n\r\n\r\n" },
        { "empty body", Pkcs7Headers + "\r\n" },
        { "blank line inside the body", Pkcs7Headers + "\r\nAAAA\r\n\r\nBBBB\r\n" },
        { "text/plain", "From: a@example.com\r\nContent-Type: text/plain\r\n\r\nHello\r\n" },
        { "no content type", "From: a@example.com\r\nSubject: x\r\n\r\nHello\r\n.\r\n" },
        { "boundary-like body line", Pkcs7Headers + "\r\n--abc\r\nAAAA\r\n--abc--\r\n" },
        { "multipart", "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nHello\r\n--b--\r\n" },
        { "message/rfc822", "From: a@example.com\r\nContent-Type: message/rfc822\r\n\r\n"
            + "From: b@example.com\r\nSubject: inner\r\n\r\nInner body\r\n" },
        { "headers only", "From: a@example.com\r\nSubject: x\r\n" },
        { "mbox envelope line", "From a@example.com Thu Jan  1 00:00:00 2026\r\n"
            + Pkcs7Headers + "\r\nAAAA\r\n" },
        { "LF then CRLF", "From: a@example.com\nContent-Type: application/pkcs7-mime\n\r\nAAAA\r\n" },
        { "CR CR LF is no blank line", "From: a@example.com\r\nX-A: 1\r\r\n"
            + "Content-Type: application/pkcs7-mime\r\n\r\nAAAA\r\n" },
        { "white space line", "From: a@example.com\r\n \r\nContent-Type: text/plain\r\n\r\nHi\r\n" },
        { "starts with a blank line", "\r\nFrom: a@example.com\r\n\r\nHi\r\n" },
        { "repeated content type", "From: a@example.com\r\nContent-Type: application/pkcs7-mime\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void ParseMessage_LeafShortcut_SameAsFullParse(string name, string message)
    {
        foreach (int junk in (int[])[0, 7])
        {
            byte[] bytes = [.. new byte[junk], .. Encoding.ASCII.GetBytes(message)];

            (string Headers, string Type, byte[]? Content, (long, long) Offsets) full =
                Describe(bytes, junk, leafShortcut: false);
            (string Headers, string Type, byte[]? Content, (long, long) Offsets) fast =
                Describe(bytes, junk, leafShortcut: true);

            Assert.True(full.Headers == fast.Headers, $"{name}: headers differ");
            Assert.True(full.Type == fast.Type, $"{name}: {full.Type} against {fast.Type}");
            Assert.True(
                (full.Content ?? []).AsSpan().SequenceEqual(fast.Content ?? []),
                $"{name}: content differs");
            Assert.True(full.Offsets == fast.Offsets,
                $"{name}: offsets {full.Offsets} against {fast.Offsets}");
        }
    }

    [Fact]
    public void ParseMessage_LeafShortcut_ColonlessHeaderLineStillRefused()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(
            "From: a@example.com\r\nnot a header\r\nContent-Type: application/pkcs7-mime\r\n"
            + "\r\nAAAA\r\n");

        FormatException e = Assert.Throws<FormatException>(() =>
            ParsedSource.ParseMessage(new MemoryStream(bytes), CancellationToken.None));

        Assert.Contains("not a header field", e.Message);
    }

    [Fact]
    public void ParseMessage_LeafShortcut_BodyReadFromTheEndOfTheHeaders()
    {
        string body = "MIAGCSqGSIb3DQEHA6CAMIACAQA=\r\n";
        byte[] bytes = Encoding.ASCII.GetBytes(Pkcs7Headers + "\r\n" + body);

        ParsedSource parsed = ParsedSource.ParseMessage(
            new MemoryStream(bytes), CancellationToken.None);

        var part = Assert.IsType<ApplicationPkcs7Mime>(parsed.Entity);
        using var content = new MemoryStream();
        part.Content!.WriteTo(content);
        Assert.Equal(body, Encoding.ASCII.GetString(content.ToArray()));
        Assert.Equal((0L, (long)bytes.Length), parsed.Offsets(part));
    }

    private static (string, string, byte[]?, (long, long)) Describe(
        byte[] bytes, int start, bool leafShortcut)
    {
        var stream = new MemoryStream(bytes) { Position = start };
        ParsedSource parsed;
        try
        {
            parsed = ParsedSource.ParseMessage(stream, CancellationToken.None, leafShortcut);
        }
        catch (FormatException e)
        {
            return ("refused: " + e.Message, "", null, (0, 0));
        }

        var headers = new StringBuilder();
        foreach (Header header in parsed.Message!.Headers)
        {
            headers.Append(header.Field).Append(':').Append(header.RawValue.Length)
                .Append('@').Append(header.Offset).Append('\n');
        }

        foreach (Header header in parsed.Entity.Headers)
        {
            headers.Append("entity ").Append(header.Field).Append('\n');
        }

        byte[]? content = null;
        if (parsed.Entity is MimePart { Content: { } mimeContent })
        {
            using var copy = new MemoryStream();
            mimeContent.WriteTo(copy);
            content = copy.ToArray();
        }

        using var written = new MemoryStream();
        parsed.Message.WriteTo(written);
        headers.Append(Convert.ToHexString(written.ToArray()));
        return (headers.ToString(), parsed.Entity.GetType().Name, content,
            parsed.Offsets(parsed.Entity));
    }
}
