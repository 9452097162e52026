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
    /// Opens the input. Standard input is copied to a temporary file first, because the
    /// library reads large bodies back from a seekable source rather than holding them.
    /// </summary>
    public static InputFile Open(string? path, CliContext context)
    {
        if (IsStdIn(path))
        {
            context.CurrentFile = "stdin";
            Stream buffer = TempFiles.CreateAnonymous();

            // A read from a terminal or a stalled pipe does not see the token; wait on it
            // instead, so that Ctrl-C still ends the command.
            Task copy = context.StdIn.CopyToAsync(buffer, context.CancellationToken);
            copy.Wait(context.CancellationToken);
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
}
