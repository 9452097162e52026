using System.Text;
using MimeKit;

namespace Smime.Mime;

/// <summary>
/// Finds Content-Type parameter lists that readers may read differently: a parameter named
/// twice, an empty list element that makes MimeKit stop reading, or text after a quoted value.
/// </summary>
/// <remarks>
/// MimeKit keeps one value of a repeated parameter and silently drops the rest; a reader that
/// keeps another would split a multipart at a different boundary (RFC 2046 §5.1.1 allows one)
/// and show an unsigned part under our Valid verdict. RFC 2231 §3 sections count as the same
/// name: "boundary*0" beside "boundary" or "boundary*" is a second boundary.
/// </remarks>
internal static class ContentTypeParameters
{
    /// <summary>Why the field's parameters are ambiguous, or null when they are not.</summary>
    public static string? FindAmbiguity(Header header)
    {
        string value = Encoding.UTF8.GetString(header.RawValue);
        List<string> elements = Split(value, out string? trailing);
        if (trailing is not null)
        {
            return Describe(header, $"has text after a quoted value (\"{trailing}\")");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < elements.Count; i++)
        {
            string element = elements[i];
            int equals = element.IndexOf('=', StringComparison.Ordinal);
            string name = (equals < 0 ? element : element[..equals]).Trim();
            if (name.Length == 0)
            {
                // "text/plain; charset=utf-8;" ends with an empty element: common and harmless.
                if (element.Trim().Length == 0 && i == elements.Count - 1)
                {
                    continue;
                }

                return Describe(header, "has an empty parameter");
            }

            if (!seen.Add(Section(name)))
            {
                string twice = BaseName(name).ToLowerInvariant();
                return Describe(header, $"names the parameter {twice} twice");
            }
        }

        // A whole value ("name" or "name*") beside numbered sections is two values too.
        foreach (string whole in seen.Where(s => s.EndsWith("*", StringComparison.Ordinal)))
        {
            string baseName = whole[..^1];
            if (seen.Any(s => s.StartsWith(baseName + "*", StringComparison.OrdinalIgnoreCase)
                && s.Length > whole.Length))
            {
                string twice = baseName.ToLowerInvariant();
                return Describe(header, $"names the parameter {twice} twice");
            }
        }

        return null;
    }

    // "name" and "name*" are the whole value ("name*"); "name*0" and "name*0*" section 0.
    private static string Section(string name)
    {
        string baseName = BaseName(name);
        string rest = name[baseName.Length..].Trim('*');
        return rest.Length == 0 ? baseName + "*" : $"{baseName}*{rest}";
    }

    private static string BaseName(string name)
    {
        int star = name.IndexOf('*', StringComparison.Ordinal);
        return (star < 0 ? name : name[..star]).Trim();
    }

    private static string Describe(Header header, string problem)
    {
        string type = header.Value.Split(';', 2)[0];
        return $"The {header.Field} field of the {Printable(type)} entity {problem}; "
            + "readers may disagree on its meaning.";
    }

    /// <summary>
    /// Splits at the semicolons outside quoted strings and comments (RFC 2045 §5.1), with
    /// comments removed; notes text after a quoted value within an element.
    /// </summary>
    private static List<string> Split(string value, out string? trailing)
    {
        trailing = null;
        var elements = new List<string>();
        var element = new StringBuilder();
        bool quoted = false;
        bool afterQuote = false;
        int comment = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (quoted)
            {
                element.Append(c);
                if (c == '\\' && i + 1 < value.Length)
                {
                    element.Append(value[++i]);
                }
                else if (c == '"')
                {
                    quoted = false;
                    afterQuote = true;
                }
            }
            else if (comment > 0)
            {
                if (c == '\\')
                {
                    i++;
                }
                else
                {
                    comment += c == '(' ? 1 : c == ')' ? -1 : 0;
                }
            }
            else if (c == '(')
            {
                comment = 1;
            }
            else if (c == ';')
            {
                elements.Add(element.ToString());
                element.Clear();
                afterQuote = false;
            }
            else if (afterQuote && !char.IsWhiteSpace(c))
            {
                trailing ??= Printable(value[i..]);
                element.Append(c);
            }
            else
            {
                element.Append(c);
                quoted = c == '"';
            }
        }

        elements.Add(element.ToString());
        return elements;
    }

    private static string Printable(string text)
    {
        var printable = new StringBuilder();
        foreach (char c in text.Trim().Take(80))
        {
            printable.Append(c is >= ' ' and < '\x7f' ? c : '?');
        }

        return printable.ToString();
    }
}
