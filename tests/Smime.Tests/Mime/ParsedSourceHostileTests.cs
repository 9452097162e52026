using System.Text;
using MimeKit;
using Smime.Mime;

namespace Smime.Tests.Mime;

/// <summary>
/// Hostile inputs for the header-only parse: everything a caller can see of the parse must be
/// what the full parse gives, including whether the part has content at all and the line-end
/// format MimeKit recorded for it.
/// </summary>
public sealed class ParsedSourceHostileTests
{
    private const string P7 =
        "From: a@example.com\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
        + "Content-Transfer-Encoding: base64\r\n";

    private static string Latin1(byte[] b) => Encoding.Latin1.GetString(b);

    public static TheoryData<string, string> Messages => new()
    {
        { "BOM then blank line", Latin1([0xEF, 0xBB, 0xBF]) + "\r\nX-Inner: 1\r\n\r\nbody\r\n" },
        { "BOM then LF", Latin1([0xEF, 0xBB, 0xBF]) + "\nX-Inner: 1\n\nbody\n" },
        { "half a BOM then blank line", Latin1([0xEF, 0xBB]) + "\r\nX-Inner: 1\r\n\r\nbody\r\n" },
        { "BOM then headers", Latin1([0xEF, 0xBB, 0xBF]) + P7 + "\r\nAAAA\r\n" },
        { "empty body 8bit",
            "From: a@example.com\r\nContent-Type: text/plain\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\n" },
        { "empty body pkcs7", P7 + "\r\n" },
        { "mixed line ends in body", P7 + "\r\nAAAA\nBBBB\r\nCCCC\n" },
        { "NUL in header value",
            "From: a@example.com\r\nX-A: a\0b\r\n" + P7[21..] + "\r\nAAAA\r\n" },
        { "NUL in field name", "From: a@example.com\r\nX\0A: a\r\n" + P7[21..] + "\r\nAAAA\r\n" },
        { "CR only line ends", P7.Replace("\r\n", "\r") + "\rAAAA\r\n\r\nBBBB\r\n" },
        { "bare CR before blank", P7 + "\r\r\nAAAA\r\n\r\nBBBB\r\n" },
        { "folded content type",
            "From: a@example.com\r\nContent-Type:\r\n application/pkcs7-mime;"
            + "\r\n\tsmime-type=signed-data\r\n\r\nAAAA\r\n" },
        { "folded multipart",
            "From: a@example.com\r\nContent-Type:\r\n multipart/signed;\r\n"
            + " boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n" },
        { "MULTIPART casing",
            "From: a@example.com\r\n"
            + "Content-Type: MULTIPART/Signed; BOUNDARY=b\r\n\r\n--b\r\n\r\nx"
            + "\r\n--b--\r\n" },
        { "Message/RFC822 casing",
            "From: a@example.com\r\nContent-Type: Message/RFC822\r\n\r\n"
            + "From: b@example.com\r\n\r\nInner\r\n" },
        { "multipart no boundary",
            "From: a@example.com\r\nContent-Type: multipart/mixed\r\n\r\n--b"
            + "\r\n\r\nx\r\n--b--\r\n" },
        { "message/partial",
            "From: a@example.com\r\n"
            + "Content-Type: message/partial; id=x; number=1\r\n\r\n"
            + "From: b@example.com\r\n\r\nx\r\n" },
        { "text/rfc822-headers",
            "From: a@example.com\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            + "From: b@example.com\r\n\r\nx\r\n" },
        { "message/global",
            "From: a@example.com\r\nContent-Type: message/global\r\n\r\n"
            + "From: b@example.com\r\n\r\nx\r\n" },
        { "no MIME-Version",
            "From: a@example.com\r\nContent-Type: application/pkcs7-mime\r\n"
            + "\r\nAAAA\r\n" },
        { "body starts with --", P7 + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n" },
        { "only headers no blank", P7 },
        { "p7m trailing junk", P7 + "\r\nMIAGCSqGSIb3DQEHAqCAMIACAQE=\r\n\r\n-----junk-----\r\n\0\0\0" },
        { "mbox then blank", "From a@example.com Thu Jan  1 00:00:00 2026\r\n\r\nbody\r\n" },
        { "mbox >From body",
            "From a@example.com Thu Jan  1 00:00:00 2026\n" + P7.Replace(""
            + "\r\n", "\n") + "\nAAAA\nFrom b@x Thu Jan 1\nBBBB\n" },
        { "leading space line", " \r\n" + P7 + "\r\nAAAA\r\n" },
        { "leading space header", " X: y\r\n" + P7 + "\r\nAAAA\r\n" },
        { "colon-less after from",
            "From a@example.com Thu\r\nnot a header\r\n" + P7 + "\r\nAAAA\r\n" },
        { "CTE variants",
            "From: a@example.com\r\nContent-Type: application/pkcs7-mime\r\n"
            + "Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n`"
            + "\r\nend\r\n" },
        { "whitespace blank line", P7 + " \r\nAAAA\r\n\r\nBBBB\r\n" },
        { "tab blank line", P7 + "\t\nAAAA\n\nBBBB\n" },
        { "header ends with CR at EOF", "From: a@example.com\r\nContent-Type: text/plain\r\n\r" },
        { "two blank lines", P7 + "\r\n\r\nAAAA\r\n" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void LeafShortcut_SameAsFullParse(string name, string message)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(message);
        string full = Describe(bytes, leafShortcut: false);
        string fast = Describe(bytes, leafShortcut: true);
        Assert.True(full == fast, $"{name}: {Diff(full, fast)}");
    }

    public static TheoryData<int> Sizes => new()
    {
        262_100, 262_130, 262_140, 262_141, 262_142, 262_143, 262_144, 262_145, 262_150,
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void LeafShortcut_HeaderBlockNear256KiB_SameAsFullParse(int blankAt)
    {
        // Many short fields so no single field is over the limit; the blank line starts at blankAt.
        var text = new StringBuilder(P7);
        int n = 0;
        while (text.Length < blankAt - 40)
        {
            text.Append($"X-Pad-{n++}: {new string('a', 30)}\r\n");
        }

        text.Append("X-Last: ").Append('b', Math.Max(0, blankAt - text.Length - 10)).Append("\r\n");
        foreach (string end in (string[])["\r\n", "\n"])
        {
            string m = text.ToString().Replace("\r\n", end == "\n" ? "\n" : "\r\n") + end + "AAAA" + end;
            byte[] bytes = Encoding.ASCII.GetBytes(m);
            string full = Describe(bytes, leafShortcut: false);
            string fast = Describe(bytes, leafShortcut: true);
            Assert.True(full == fast, $"{blankAt}/{end.Length}: {Diff(full, fast)}");
        }
    }

    private static string Diff(string a, string b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        int from = Math.Max(0, i - 60);
        return $"at {i}\nfull: ...{a[from..Math.Min(a.Length, i + 120)]}"
            + $"\nfast: ...{b[from..Math.Min(b.Length, i + 120)]}";
    }

    internal static string Describe(byte[] bytes, bool leafShortcut)
    {
        ParsedSource parsed;
        try
        {
            parsed = ParsedSource.ParseMessage(
                new MemoryStream(bytes), CancellationToken.None, leafShortcut);
        }
        catch (FormatException e)
        {
            return "refused: " + e.Message;
        }

        var d = new StringBuilder();
        d.Append(parsed.Entity.GetType().Name).Append(' ')
            .Append(parsed.Offsets(parsed.Entity)).Append(' ');
        d.Append("framing=").Append(parsed.FramingProblem).Append(' ');
        foreach (Header h in parsed.Message!.Headers)
        {
            d.Append(h.Field).Append('@').Append(h.Offset).Append('=')
                .Append(Convert.ToHexString(h.RawValue)).Append(';');
        }

        if (parsed.Entity is MimePart part)
        {
            d.Append(" cte=").Append(part.ContentTransferEncoding);
            if (part.Content is null)
            {
                d.Append(" content=null");
            }
            else
            {
                using var copy = new MemoryStream();
                part.Content.Stream!.Position = 0;
                part.Content.Stream!.CopyTo(copy);
                // NewLineFormat is left out: the shortcut leaves it null (MimeKit reads it only
                // when FormatOptions.VerifyingSignature is set, which this project never sets).
                d.Append(" content=").Append(Convert.ToHexString(copy.ToArray()));
            }
        }

        using var written = new MemoryStream();
        parsed.Message.WriteTo(written);
        d.Append(" written=").Append(Convert.ToHexString(written.ToArray()));
        return d.ToString();
    }
}

/// <summary>What the shortcut parse dropped reaches the signature: the signed text must be the
/// whole body MimeKit sees.</summary>
public sealed class LeafShortcutSignTests
{
    [Fact]
    public void Sign_ByteOrderMarkThenBlankLine_SignsTheWholeBody()
    {
        using var alice = Smime.Tests.Support.TestPki.Shared.Issue("alice@example.com");
        byte[] message =
        [
            0xEF, 0xBB, 0xBF,
            .. Encoding.ASCII.GetBytes("\r\nSecret-Line: keep me\r\n\r\nbody\r\n"),
        ];

        string signed = MimeSamples.Text(MimeSamples.Sign(message, alice));

        Assert.Contains("Secret-Line: keep me", signed);
    }
}

/// <summary>A stream positioned past its end holds no message: a FormatException, as before.</summary>
public sealed class ParsedSourcePastEndTests
{
    [Fact]
    public void ParseMessage_PositionPastTheEnd_RefusedAsEmpty()
    {
        var stream = new MemoryStream(Encoding.ASCII.GetBytes("From: a@example.com\r\n\r\nx\r\n"));
        stream.Position = stream.Length + 10;

        Assert.Throws<FormatException>(() =>
            ParsedSource.ParseMessage(stream, CancellationToken.None));
    }
}
