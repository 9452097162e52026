using System.Text;
using MimeKit;

namespace Smime.Mime;

/// <summary>
/// Limits and refusals applied while MimeKit parses hostile input: the number and nesting of
/// entities (<see cref="SmimeLimits.MaxEntities"/>, <see cref="SmimeLimits.MaxEntityDepth"/>)
/// and header lines that are no header field at all.
/// </summary>
/// <remarks>
/// MimeKit keeps a header line without a colon as a nameless field and writes it back out in
/// front of the next fields; another reader ends the header block there. Copied in front of the
/// signed part's headers, such a line turns them into body text under a Valid verdict, so it is
/// refused (RFC 5322 §2.2: a header field is a name, a colon and a body). An mbox "From "
/// envelope line as the very first line is allowed: MimeKit drops it and nothing copies it.
/// </remarks>
internal sealed class ParseGuard
{
    private int _entities;
    private int _depth;

    private ParseGuard()
    {
    }

    /// <summary>Watches every entity and header block the parser reads.</summary>
    public static void Attach(MimeParser parser)
    {
        var guard = new ParseGuard();
        parser.MimeEntityBegin += (_, e) => guard.Begin(e.BeginOffset);
        parser.MimeEntityEnd += (_, e) =>
        {
            guard._depth--;
            CheckHeaderLines(e.Entity.Headers);
        };
        parser.MimeMessageEnd += (_, e) => CheckHeaderLines(e.Message.Headers);
    }

    private void Begin(long offset)
    {
        _entities++;
        _depth++;
        if (_entities > SmimeLimits.MaxEntities)
        {
            throw new FormatException(
                $"The message has more than {SmimeLimits.MaxEntities} MIME entities "
                + $"(the next begins at byte {offset}); it is refused.");
        }

        if (_depth > SmimeLimits.MaxEntityDepth)
        {
            throw new FormatException(
                $"The message nests MIME entities more than {SmimeLimits.MaxEntityDepth} deep "
                + $"(at byte {offset}); it is refused.");
        }
    }

    private static void CheckHeaderLines(HeaderList headers)
    {
        foreach (Header header in headers)
        {
            if (!IsFieldName(header.Field))
            {
                throw new FormatException(
                    $"The header line at byte {header.Offset} (\"{Printable(header.Field)}\") "
                    + "is not a header field: it has no colon after a field name "
                    + "(RFC 5322 §2.2); the message is refused.");
            }
        }
    }

    // RFC 5322 §3.6.8: ftext is printable US-ASCII except the colon. MimeKit trims the
    // obsolete white space before the colon (§4.5.3), so a legal name has nothing else.
    private static bool IsFieldName(string field) =>
        field.Length > 0 && field.All(c => c is >= '!' and <= '~' and not ':');

    private static string Printable(string text)
    {
        var printable = new StringBuilder();
        foreach (char c in text.TrimEnd('\r', '\n').Take(60))
        {
            printable.Append(c is >= ' ' and < '\x7f' ? c : '?');
        }

        return printable.ToString();
    }
}
