using System.Globalization;
using System.Text;

namespace Smime.Mime;

/// <summary>
/// A strict parse of a From or Sender field (RFC 5322 §3.4 mailbox-list, §3.6.2): mailboxes
/// separated by commas, each a display name with an angle address or a bare addr-spec, with
/// comments and folding white space only where the grammar allows them.
/// </summary>
/// <remarks>
/// The field decides whom a reader believes sent the mail, and mail clients repair broken
/// ones in different ways: Outlook splits "a@example.com;evil@evil.com" in two, others show the
/// name of an empty "&lt;&gt;" or of a group. So anything outside the grammar is refused
/// rather than repaired: groups, empty addresses, obsolete routes and empty list elements
/// (RFC 5322 §4.4), control characters, and text left over. UTF-8 is allowed as RFC 6532 §3.2
/// allows it; encoded-words (RFC 2047) are atoms of the display name.
/// </remarks>
internal sealed class MailboxList
{
    private const string Specials = "!#$%&'*+-/=?^_`{|}~";
    private const int MaxDomainLength = 253;
    private const int MaxLabelLength = 63;

    private readonly string _text;
    private readonly string _field;
    private int _pos;

    private MailboxList(string text, string field)
    {
        _text = text;
        _field = field;
    }

    /// <summary>The addresses (local-part@domain as written) of a field's raw value.</summary>
    /// <exception cref="FormatException">The value is not a well-formed mailbox list.</exception>
    public static IReadOnlyList<string> Parse(ReadOnlySpan<byte> rawValue, string field)
    {
        // RFC 5322 §2.2.3: unfolding removes each CRLF that precedes white space; the CRLF
        // ending the field is not part of it. Any other CR or LF is a stray control character.
        string text = Encoding.UTF8.GetString(rawValue);
        if (text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            text = text[..^2];
        }
        else if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }

        text = text.Replace("\r\n ", " ", StringComparison.Ordinal)
            .Replace("\r\n\t", "\t", StringComparison.Ordinal)
            .Replace("\n ", " ", StringComparison.Ordinal)
            .Replace("\n\t", "\t", StringComparison.Ordinal);
        return new MailboxList(text, field).ParseList();
    }

    private List<string> ParseList()
    {
        var addresses = new List<string>();
        while (true)
        {
            addresses.Add(ParseMailbox());
            SkipCfws();
            if (AtEnd)
            {
                return addresses;
            }

            Expect(',', "a comma between mailboxes or the end of the field");
        }
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Current => _text[_pos];

    private string ParseMailbox()
    {
        int start = _pos;
        SkipCfws();
        if (AtEnd || Current == ',')
        {
            throw Fail("an empty mailbox (RFC 5322 §4.4 list syntax is not accepted)");
        }

        if (Current != '<')
        {
            // A bare addr-spec, when what follows it ends the mailbox.
            FormatException? bare = null;
            try
            {
                string address = ParseAddrSpec();
                SkipCfws();
                if (AtEnd || Current == ',')
                {
                    return address;
                }
            }
            catch (FormatException e)
            {
                bare = e;
            }

            // Otherwise a display name must come before the angle address.
            int afterBare = _pos;
            _pos = start;
            SkipCfws();
            bool phrase = TryParsePhrase();
            SkipCfws();
            if (phrase && !AtEnd && Current == ':')
            {
                throw Fail("a group (a display name followed by ':'), which names no sender");
            }

            if (!phrase || AtEnd || Current != '<')
            {
                // Report where the reading that got further stopped.
                if (afterBare >= _pos)
                {
                    _pos = afterBare;
                    throw bare ?? Fail(Unexpected() + " after the address");
                }

                throw Fail((AtEnd ? "the end of the field" : Unexpected())
                    + " where a '<' address belongs after the display name");
            }
        }

        _pos++;
        SkipCfws();
        if (!AtEnd && Current == '>')
        {
            throw Fail("an empty address '<>'");
        }

        if (!AtEnd && Current == '@')
        {
            throw Fail("an obsolete source route (RFC 5322 §4.4)");
        }

        string addrSpec = ParseAddrSpec();
        Expect('>', "'>' closing the address");
        return addrSpec;
    }

    /// <summary>local-part "@" domain (RFC 5322 §3.4.1), with CFWS around each.</summary>
    private string ParseAddrSpec()
    {
        SkipCfws();
        string local;
        if (!AtEnd && Current == '"')
        {
            int begin = _pos;
            string content = ParseQuotedString();
            if (content.Length == 0)
            {
                throw Fail("an empty local part");
            }

            local = _text[begin.._pos];
        }
        else
        {
            local = ParseDotAtomText("the local part");
        }

        RefuseFormatCharacters(local);
        SkipCfws();
        Expect('@', "'@' after the local part");
        SkipCfws();
        string domain = !AtEnd && Current == '[' ? ParseDomainLiteral() : ParseDomainName();
        return $"{local}@{domain}";
    }

    private string ParseDomainName()
    {
        string domain = ParseDotAtomText("the domain");
        RefuseFormatCharacters(domain);
        if (domain.Length > MaxDomainLength)
        {
            throw Fail($"a domain longer than {MaxDomainLength} characters");
        }

        // RFC 1035 §2.3.1 host names (RFC 5321 §4.1.2), letters beyond ASCII as in IDNA.
        foreach (string label in domain.Split('.'))
        {
            if (label.Length > MaxLabelLength
                || label.StartsWith('-') || label.EndsWith('-')
                || !label.All(c => c == '-' || char.IsAsciiLetterOrDigit(c)
                    || (c > '\x7f' && char.IsLetterOrDigit(c))))
            {
                throw Fail($"the domain '{Printable(domain)}', which is not a DNS name");
            }
        }

        return domain;
    }

    private string ParseDomainLiteral()
    {
        // RFC 5322 §3.4.1: "[" *([FWS] dtext) [FWS] "]", dtext printable ASCII but "[]\".
        int begin = _pos;
        _pos++;
        bool any = false;
        while (!AtEnd && Current != ']')
        {
            char c = Current;
            if (c is ' ' or '\t')
            {
                _pos++;
                continue;
            }

            if (c is < '!' or > '~' or '[' or '\\')
            {
                throw Fail(Unexpected() + " in the domain literal");
            }

            any = true;
            _pos++;
        }

        Expect(']', "']' closing the domain literal");
        if (!any)
        {
            throw Fail("an empty domain literal");
        }

        return _text[begin.._pos];
    }

    private string ParseDotAtomText(string what)
    {
        int begin = _pos;
        while (true)
        {
            int atom = _pos;
            while (!AtEnd && IsAtext(Current))
            {
                _pos++;
            }

            if (_pos == atom)
            {
                throw Fail(AtEnd || Current is ',' or '@' or '>'
                    ? $"an empty or broken {what}"
                    : Unexpected() + $" in {what}");
            }

            if (AtEnd || Current != '.')
            {
                return _text[begin.._pos];
            }

            _pos++;
        }
    }

    /// <summary>phrase = 1*word, with "." between words as obs-phrase (RFC 5322 §4.1).</summary>
    private bool TryParsePhrase()
    {
        int words = 0;
        while (!AtEnd)
        {
            SkipCfws();
            if (AtEnd)
            {
                break;
            }

            if (Current == '"')
            {
                ParseQuotedString();
            }
            else if (IsAtext(Current))
            {
                while (!AtEnd && IsAtext(Current))
                {
                    _pos++;
                }
            }
            else if (Current == '.' && words > 0)
            {
                _pos++;
                continue;
            }
            else
            {
                break;
            }

            words++;
        }

        return words > 0;
    }

    private string ParseQuotedString()
    {
        // RFC 5322 §3.2.4: qtext is printable ASCII but '"' and '\'; quoted-pair "\" VCHAR/WSP.
        _pos++;
        var content = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Fail("a quoted string without its closing '\"'");
            }

            char c = Current;
            if (c == '"')
            {
                _pos++;
                return content.ToString();
            }

            if (c == '\\')
            {
                _pos++;
                if (AtEnd || IsControl(Current))
                {
                    throw Fail(AtEnd ? "a '\\' at the end of the field" : Unexpected());
                }
            }
            else if (IsControl(c))
            {
                throw Fail(Unexpected());
            }

            content.Append(Current);
            _pos++;
        }
    }

    private void SkipCfws()
    {
        // RFC 5322 §3.2.2: white space and (nested) comments.
        while (!AtEnd)
        {
            if (Current is ' ' or '\t')
            {
                _pos++;
            }
            else if (Current == '(')
            {
                SkipComment();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipComment()
    {
        int depth = 0;
        do
        {
            if (AtEnd)
            {
                throw Fail("a comment without its closing ')'");
            }

            char c = Current;
            if (c == '\\')
            {
                _pos++;
                if (AtEnd || IsControl(Current))
                {
                    throw Fail(AtEnd ? "a '\\' at the end of the field" : Unexpected());
                }
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (IsControl(c))
            {
                throw Fail(Unexpected());
            }

            _pos++;
        }
        while (depth > 0);
    }

    private void Expect(char c, string what)
    {
        if (AtEnd || Current != c)
        {
            throw Fail((AtEnd ? "the end of the field" : Unexpected()) + $" where {what} belongs");
        }

        _pos++;
    }

    private void RefuseFormatCharacters(string part)
    {
        // Invisible or direction-changing characters (and undecodable bytes) in an address
        // make it show as another one.
        if (part.FirstOrDefault(c => CharUnicodeInfo.GetUnicodeCategory(c)
            is UnicodeCategory.Format or UnicodeCategory.Control
            or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned
            || c == '\uFFFD') is var bad and not '\0')
        {
            throw Fail($"the character U+{(int)bad:X4} in the address '{Printable(part)}'");
        }
    }

    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c)
        || Specials.Contains(c, StringComparison.Ordinal)
        || (c > '\x7f' && !IsControl(c));

    // RFC 5322 §3.2.3 excludes the ASCII controls; C1 controls are no better (RFC 6532 §3.1).
    private static bool IsControl(char c) => char.IsControl(c) && c is not (' ' or '\t');

    private string Unexpected()
    {
        char c = Current;
        return IsControl(c) || c > '\x7e'
            ? $"the character U+{(int)c:X4}"
            : $"'{c}'";
    }

    private FormatException Fail(string problem) =>
        new($"The {_field} header field \"{Printable(_text)}\" is not a well-formed mailbox "
            + $"list (RFC 5322 §3.4): {problem} at character {Position}.");

    // Counted from the first character after the white space that follows the colon.
    private int Position =>
        Math.Min(_pos, _text.Length) - (_text.Length - _text.TrimStart().Length) + 1;

    private static string Printable(string text)
    {
        var printable = new StringBuilder();
        foreach (char c in text.Trim().Take(120))
        {
            printable.Append(IsControl(c) ? '?' : c);
        }

        return printable.ToString();
    }
}
