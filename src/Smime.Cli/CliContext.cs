namespace Smime.Cli;

/// <summary>The streams, cancellation and state one invocation of the command works with.</summary>
internal sealed class CliContext
{
    private PrintableWriter? _printed;

    public CliContext(
        Stream stdin,
        Stream stdout,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        StdIn = stdin;
        StdOut = stdout;
        Out = output;
        Error = error;
        CancellationToken = cancellationToken;
    }

    /// <summary>The raw standard input, for a message read from "-".</summary>
    public Stream StdIn { get; }

    /// <summary>The raw standard output, for payloads.</summary>
    public Stream StdOut { get; }

    /// <summary>Text for a person on standard output (verdicts, help, the demo).</summary>
    public TextWriter Out { get; }

    /// <summary>
    /// <see cref="Out"/> with control characters escaped, for lines that quote subjects,
    /// addresses or anything else a message or certificate supplies.
    /// </summary>
    public TextWriter Printed => _printed ??= new PrintableWriter(Out);

    /// <summary>Diagnostics.</summary>
    public TextWriter Error { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Whether --verbose was given.</summary>
    public bool Verbose { get; set; }

    /// <summary>The file being worked on, named in errors that do not name one themselves.</summary>
    public string? CurrentFile { get; set; }

    /// <summary>The message after the current file's name, when there is one.</summary>
    public string OfCurrentFile(string message) =>
        CurrentFile is null ? message : $"{Printable.Escape(CurrentFile)}: {message}";

    /// <summary>
    /// Writes one diagnostic line to stderr, control characters escaped: messages quote
    /// subjects, addresses and file names that come from mail.
    /// </summary>
    public void Note(string message) => Error.WriteLine($"smime: {Printable.Escape(message)}");

    /// <summary>Writes a diagnostic line to stderr when --verbose was given.</summary>
    public void Detail(string message)
    {
        if (Verbose)
        {
            Note(message);
        }
    }
}
