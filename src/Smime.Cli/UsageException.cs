namespace Smime.Cli;

/// <summary>A usage or input error found by the command itself; exit code 2.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the error; <paramref name="subject"/> names the file or option, and
    /// is escaped here, before the message is made one line.</summary>
    public UsageException(string subject, string problem)
        : base($"{Printable.Escape(subject)}: {problem}")
    {
    }
}
