namespace Smime.Cli;

/// <summary>
/// Where a command's payload goes: a file given with -o, or standard output. Nothing reaches
/// the destination until <see cref="Commit"/>: a file is written beside its target and moved
/// into place, standard output is buffered in a temporary file. A failed step leaves nothing.
/// </summary>
internal sealed class OutputFile : IDisposable
{
    private readonly CliContext _context;
    private readonly string? _target;
    private readonly string? _tempPath;
    private bool _committed;

    private OutputFile(CliContext context, string? target, string? tempPath, FileStream stream)
    {
        _context = context;
        _target = target;
        _tempPath = tempPath;
        Stream = stream;
    }

    /// <summary>The stream to write the payload to.</summary>
    public FileStream Stream { get; }

    /// <summary>Opens the output; refuses the input's path (inputs are never overwritten).</summary>
    public static OutputFile Create(string? path, InputFile? input, CliContext context)
    {
        if (path is null or "-")
        {
            return new OutputFile(context, null, null, TempFiles.CreateAnonymous());
        }

        string full = Path.GetFullPath(path);
        if (input?.FullPath is not null && SameFile(full, input.FullPath))
        {
            throw new UsageException(path, "is the input file; smime never overwrites its input.");
        }

        if (Directory.Exists(full))
        {
            throw new UsageException(path, "is a folder; -o needs a file name.");
        }

        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new UsageException(path, "its folder does not exist.");
        }

        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            FileStream stream = TempFiles.Create(temp);
            return new OutputFile(context, full, temp, stream);
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException(path, "permission denied.");
        }
    }

    /// <summary>Moves the finished payload into place, or copies it to standard output.</summary>
    public void Commit()
    {
        _context.CancellationToken.ThrowIfCancellationRequested();
        Stream.Flush();
        if (_target is null)
        {
            Stream.Position = 0;
            _context.Out.Flush();
            Stream.CopyTo(_context.StdOut);
            _context.StdOut.Flush();
            Stream.Dispose();
        }
        else
        {
            Stream.Dispose();
            File.Move(_tempPath!, _target, overwrite: true);
        }

        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed && _tempPath is not null)
        {
            File.Delete(_tempPath);
        }
    }

    private static bool SameFile(string output, string input)
    {
        try
        {
            return string.Equals(Resolve(output, 0), Resolve(input, 0), StringComparison.Ordinal);
        }
        catch (IOException e)
        {
            // A link loop, for one.
            throw new UsageException(output, e.Message);
        }
    }

    /// <summary>
    /// The path with every symbolic link in it followed, folders too: -o through a linked
    /// folder must not reach the input by another name.
    /// </summary>
    private static string Resolve(string path, int depth)
    {
        const int maxLinks = 40;
        if (depth > maxLinks)
        {
            throw new UsageException(path, $"more than {maxLinks} symbolic links deep.");
        }

        string root = Path.GetPathRoot(path)!;
        string current = root;
        foreach (string part in path[root.Length..].Split(
            Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            FileSystemInfo? target = new FileInfo(next).LinkTarget is null
                ? null
                : new FileInfo(next).ResolveLinkTarget(returnFinalTarget: true);

            // A link's target may itself pass through linked folders.
            current = target is null ? next : Resolve(target.FullName, depth + 1);
        }

        return current;
    }
}
