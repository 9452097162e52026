using System.Text;
using MimeKit;
using Smime.Mime;

namespace Smime.Tests.Mime;

public sealed class CanonicalWriterTests
{
    public static TheoryData<string, string> Entities => new()
    {
        { "plain text, LF", "Content-Type: text/plain\n\nline one\nline two\n" },
        { "plain text, CRLF, no final newline", "Content-Type: text/plain\r\n\r\na\r\nb" },
        { "mixed CR, LF and CRLF", "Content-Type: text/plain\n\na\r\nb\nc\rd\r\n\ne" },
        { "base64 attachment",
            "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
            + "AAECAwQFBgcICQ==\nAAECAwQFBgcICQ==\n" },
        { "multipart with preamble and epilogue",
            "Content-Type: multipart/mixed; boundary=\"b1\"\n\nThis is the preamble.\n"
            + "--b1\nContent-Type: text/plain\n\nfirst\n--b1\nContent-Type: text/html\n\n"
            + "<p>second</p>\n\n--b1--\nthe epilogue\n" },
        { "nested multipart, no preamble",
            "Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n"
            + "Content-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\n"
            + "Content-Type: text/plain\r\n\r\nplain\r\n--inner\r\nContent-Type: text/html\r\n\r\n"
            + "<b>html</b>\r\n--inner--\r\n--outer\r\nContent-Type: text/plain\r\n\r\nlast\r\n"
            + "--outer--\r\n" },
        { "8bit text re-encoded as quoted-printable",
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            + "H\u00e4llo\n" },
    };

    [Theory]
    [InlineData(65_535, "\n\n")]
    [InlineData(65_536, "\n\n")]
    [InlineData(65_537, "\n\n")]
    [InlineData(65_535, "\r\n")]
    [InlineData(131_072, "\n")]
    public void Write_LineBreaksWhereAReadEnds_SameBytesAsMimeKitWithCrlf(int at, string breaks)
    {
        // CRLF lines, a bare LF near the start, and `breaks` at `at` bytes into the body, where
        // one 64 KiB read ends and the next begins.
        var body = new StringBuilder();
        while (body.Length < 200_000)
        {
            body.Append("An ordinary line of a base64 body, long enough.\r\n");
        }

        body.Insert(7, "\n").Insert(at, breaks);
        Write_ParsedEntity_SameBytesAsMimeKitWithCrlf($"{Escape(breaks)} at {at}",
            "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + body);
    }

    private static string Escape(string text) => text.Replace("\r", "CR").Replace("\n", "LF");

    [Theory]
    [MemberData(nameof(Entities))]
    public void Write_ParsedEntity_SameBytesAsMimeKitWithCrlf(string name, string source)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(source));
        MimeEntity entity = new MimeParser(input, MimeFormat.Entity, persistent: true).ParseEntity();
        Canonicalizer.Canonicalize(entity);
        using var expected = new MemoryStream();
        entity.WriteTo(Canonicalizer.Options, expected);
        using var actual = new MemoryStream();

        CanonicalWriter.Write(entity, actual, CancellationToken.None);

        Assert.True(
            expected.ToArray().AsSpan().SequenceEqual(actual.ToArray()),
            $"{name}:\nexpected:\n{Encoding.UTF8.GetString(expected.ToArray())}\n"
            + $"actual:\n{Encoding.UTF8.GetString(actual.ToArray())}");
    }
}
