using System.Runtime.ExceptionServices;
using Smime.Mime;

namespace Smime.Cli;

/// <summary>A message to read: a file, or standard input when absent or "-".</summary>
internal sealed class InputFile : IDisposable
{
    private InputFile(string name, string? fullPath, Stream stream)
    {
        Name = name;
        FullPath = fullPath;
        Stream = stream;
    }

    /// <summary>The name given in errors: the path as typed, or "stdin".</summary>
    public string Name { get; }

    /// <summary>The absolute path, or null for standard input.</summary>
    public string? FullPath { get; }

    /// <summary>A seekable stream over the message.</summary>
    public Stream Stream { get; }

    /// <summary>Whether a path names standard input.</summary>
    public static bool IsStdIn(string? path) => path is null or "-";

    /// <summary>
    /// The most standard input may hold, <see cref="SmimeLimits.MaxStdinBytes"/> unless a test
    /// sets a smaller one for its own flow.
    /// </summary>
    internal static AsyncLocal<long?> StdinLimitForTests { get; } = new();

    /// <summary>
    /// Opens the input. Standard input is copied to a temporary file first, because the
    /// library reads large bodies back from a seekable source rather than holding them. The
    /// copy stops at once when the input does not start like a message, and at
    /// <see cref="SmimeLimits.MaxStdinBytes"/>.
    /// </summary>
    public static InputFile Open(string? path, CliContext context)
    {
        if (IsStdIn(path))
        {
            context.CurrentFile = "stdin";
            Stream buffer = TempFiles.CreateAnonymous();
            long limit = StdinLimitForTests.Value ?? SmimeLimits.MaxStdinBytes;

            // A read from a terminal or a stalled pipe does not see the token; wait on it
            // instead, so that Ctrl-C still ends the command.
            Task copy = SpoolAsync(context.StdIn, buffer, limit, context.CancellationToken);
            try
            {
                copy.Wait(context.CancellationToken);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                // The read's own error (a closed or broken stdin), not a wrapper around it.
                buffer.Dispose();
                ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            }
            catch
            {
                buffer.Dispose();
                throw;
            }

            buffer.Position = 0;
            return new InputFile("stdin", null, buffer);
        }

        string name = path!;
        context.CurrentFile = name;
        if (Directory.Exists(name))
        {
            throw new UsageException(name, "is a folder, not a message file.");
        }

        if (!File.Exists(name))
        {
            throw new UsageException(name, "no such file.");
        }

        try
        {
            var stream = new FileStream(
                name,
                FileMode.Open,
                FileAccess.Read,
                FileShare.Read,
                81920,
                FileOptions.SequentialScan);
            return new InputFile(name, Path.GetFullPath(name), stream);
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException(name, "permission denied.");
        }
    }

    public void Dispose() => Stream.Dispose();

    private static async Task SpoolAsync(
        Stream input,
        Stream spool,
        long limit,
        CancellationToken cancellationToken)
    {
        byte[] chunk = new byte[81920];
        long total = 0;
        bool checkedStart = false;
        int read;
        while ((read = await input.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (total + read > limit)
            {
                throw new UsageException("stdin", $"holds more than {Size(limit)}; "
                    + "give the message as a file.");
            }

            await spool.WriteAsync(chunk.AsMemory(0, read), cancellationToken)
                .ConfigureAwait(false);
            total += read;
            if (!checkedStart)
            {
                checkedStart = CheckStart(spool, total);
            }
        }
    }

    // Decides from the first bytes whether the input can be a message: a header field name
    // and its colon (RFC 5322 section 2.2; obsolete syntax allows blanks before the colon),
    // an empty header block, or an mbox "From " line. True once decided; false to wait for
    // more bytes.
    private static bool CheckStart(Stream spool, long total)
    {
        int length = (int)Math.Min(total, SmimeLimits.MaxHeaderFieldLength);
        byte[] head = new byte[length];
        long position = spool.Position;
        spool.Position = 0;
        spool.ReadExactly(head);
        spool.Position = position;

        if (head[0] is (byte)'\r' or (byte)'\n' || head.AsSpan().StartsWith("From "u8))
        {
            return true;
        }

        int i = 0;
        while (i < head.Length && head[i] is > 32 and < 127 and not (byte)':')
        {
            i++;
        }

        int name = i;
        while (i < head.Length && head[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        if (i < head.Length)
        {
            return name > 0 && head[i] == ':'
                ? true
                : throw new UsageException("stdin", "does not start like a message "
                    + "(a header field such as 'From: ...'); give a MIME message.");
        }

        return length >= SmimeLimits.MaxHeaderFieldLength
            ? throw new UsageException("stdin", "does not start like a message "
                + "(no header field within its first line's limit); give a MIME message.")
            : false;
    }

    private static string Size(long bytes) =>
        bytes % (1 << 30) == 0 ? $"{bytes >> 30} GiB" : $"{bytes} bytes";
}
