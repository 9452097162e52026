using System.Text;

namespace Smime.Cli;

/// <summary>
/// A writer for text a person reads on a terminal: everything written through it is passed
/// through <see cref="Printable.Escape"/>, and only the line ends of WriteLine are real ones.
/// </summary>
internal sealed class PrintableWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override void Write(char value) => inner.Write(Printable.Escape(value.ToString()));

    public override void Write(string? value) => inner.Write(Printable.Escape(value));

    public override void Write(char[] buffer, int index, int count) =>
        Write(new string(buffer, index, count));

    public override void WriteLine() => inner.WriteLine();

    public override void WriteLine(string? value) => inner.WriteLine(Printable.Escape(value));

    public override void Flush() => inner.Flush();
}
