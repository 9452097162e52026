using System.Text;
using MimeKit;
using Smime.Mime;

namespace Smime.Tests.Mime;

public sealed class CanonicalizerTests
{
    [Fact]
    public void Canonicalize_EightBitTextBinaryAttachmentLf_ExactCanonicalBytes()
    {
        byte[] input = Concat(
            "From: a@example.com\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=x\n\n"
            + "--x\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            + "h\u00e9llo\nline2\n"
            + "--x\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n\n",
            [0x01, 0x02, 0xFF],
            "\n--x\nContent-Type: text/plain\n\nseven bit\n--x--\n");

        string canonical = Canonicalize(input);

        Assert.Equal(
            "Content-Type: multipart/mixed; boundary=x\r\n\r\n"
            + "--x\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            // The CRLF before "--x" belongs to the boundary, so QP ends with a soft break.
            + "h=C3=A9llo\r\nline2=\r\n\r\n"
            + "--x\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + "AQL/\r\n\r\n"
            + "--x\r\nContent-Type: text/plain\r\n\r\nseven bit\r\n--x--\r\n",
            canonical);
    }

    [Fact]
    public void Canonicalize_DefaultEncodingWithEightBitData_BecomesQuotedPrintable()
    {
        byte[] input = Encoding.UTF8.GetBytes(
            "From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\nGr\u00fc\u00dfe\n");

        string canonical = Canonicalize(input);

        Assert.Equal(
            "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe\r\n",
            canonical);
    }

    [Fact]
    public void Canonicalize_SevenBitTextWithLf_OnlyLineEndsChange()
    {
        byte[] input = Encoding.ASCII.GetBytes(
            "From: a@example.com\nContent-Type: text/plain\n\nline one\nline two\n");

        string canonical = Canonicalize(input);

        Assert.Equal("Content-Type: text/plain\r\n\r\nline one\r\nline two\r\n", canonical);
    }

    [Fact]
    public void Canonicalize_Base64Attachment_LeftAlone()
    {
        byte[] input = Encoding.ASCII.GetBytes(
            "From: a@example.com\r\nContent-Type: application/pdf\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n");

        string canonical = Canonicalize(input);

        Assert.Equal(
            "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "JVBERi0xLjQK\r\n",
            canonical);
    }

    private static string Canonicalize(byte[] input)
    {
        MimeMessage message = MimeMessage.Load(new MemoryStream(input));
        Canonicalizer.Canonicalize(message.Body!);
        using var output = new MemoryStream();
        message.Body!.WriteTo(Canonicalizer.Options, output);
        return Encoding.Latin1.GetString(output.ToArray());
    }

    private static byte[] Concat(string head, byte[] middle, string tail) =>
        [.. Encoding.UTF8.GetBytes(head), .. middle, .. Encoding.UTF8.GetBytes(tail)];
}
