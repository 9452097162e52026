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

    private static bool SameFile(string a, string b) =>
        string.Equals(Resolve(a), Resolve(b), StringComparison.Ordinal);

    /// <summary>The path, or the final target when it is a symbolic link (the input too).</summary>
    private static string Resolve(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
        {
            return path;
        }

        return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
    }
}
