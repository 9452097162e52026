using System.Globalization;
using System.Text;

namespace Smime.Cli;

/// <summary>
/// Makes text from a message or certificate safe to print on a terminal: control characters
/// and bidi overrides are shown escaped (\n, \x1b, \u202e), so a subject cannot start a
/// forged line, move the cursor or reorder what follows it.
/// </summary>
internal static class Printable
{
    /// <summary>The text with every unsafe character escaped; safe text comes back as is.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(IsUnsafe))
        {
            return text ?? string.Empty;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (!IsUnsafe(c))
            {
                escaped.Append(c);
                continue;
            }

            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < '\u0080' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            });
        }

        return escaped.ToString();
    }

    /// <summary>
    /// JSON text with DEL, C1 controls, bidi controls and U+2028/U+2029 escaped as \uXXXX,
    /// which the relaxed encoder passes through; C0 controls are escaped by the encoder
    /// already. Outside strings JSON holds none of these, so the text stays the same JSON.
    /// </summary>
    public static string EscapeJson(string json)
    {
        if (!json.Any(c => c >= '\u007f' && IsUnsafe(c)))
        {
            return json;
        }

        var escaped = new StringBuilder(json.Length + 16);
        foreach (char c in json)
        {
            if (c >= '\u007f' && IsUnsafe(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>
    /// C0 controls, DEL and C1 controls (ECMA-48 escape and control sequences), the bidi
    /// embeddings, overrides and isolates (Unicode UAX #9: U+202A-202E, U+2066-2069), and the
    /// line and paragraph separators U+2028 and U+2029.
    /// </summary>
    public static bool IsUnsafe(char c) =>
        c < ' '
        || c is >= '\u007f' and <= '\u009f'
        || c is >= '\u202a' and <= '\u202e'
        || c is >= '\u2066' and <= '\u2069'
        || c is '\u2028' or '\u2029';
}
