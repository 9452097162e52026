using System.CommandLine;
using System.CommandLine.Parsing;
using Smime.Certificates;
using Smime.Mime;

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
    private bool _intoNode;

    private OutputFile(CliContext context, string? target, string? tempPath, FileStream stream)
    {
        _context = context;
        _target = target;
        _tempPath = tempPath;
        Stream = stream;
    }

    /// <summary>The stream to write the payload to.</summary>
    public FileStream Stream { get; }

    /// <summary>
    /// Opens the output; refuses the input's path (inputs are never overwritten). A device,
    /// named pipe or socket at the path is written into as it is, after the payload is done;
    /// a symbolic link is kept, and the file it leads to is replaced.
    /// </summary>
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

        // Renaming onto a link would replace the link: the file it leads to is the target.
        if (new FileInfo(full).LinkTarget is not null)
        {
            full = FinalTarget(path, full);
        }

        FileNodeType type = FileNodes.GetNodeType(full, followLinks: false);
        if (type == FileNodeType.Directory)
        {
            throw new UsageException(path, "is a folder; -o needs a file name.");
        }

        if (type is FileNodeType.CharacterDevice or FileNodeType.BlockDevice
            or FileNodeType.Fifo or FileNodeType.Socket)
        {
            // Renaming onto a device or pipe would replace the node with a file. The payload
            // waits in a private temporary file and is copied in once it is complete.
            return new OutputFile(context, full, null, TempFiles.CreateAnonymous())
            {
                _intoNode = true,
            };
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

    /// <summary>
    /// Refuses an -o that names, by any path, a file the command reads: an existing file
    /// named anywhere in the arguments (--cert, --key, --password-file, the message...) or
    /// the store's database. Checked before the command runs, so nothing is written.
    /// </summary>
    public static void RefuseInputs(ParseResult result)
    {
        OptionResult? output = result.CommandResult.Children.OfType<OptionResult>()
            .FirstOrDefault(o => o.Option.Name == "--output" && o.Tokens.Count > 0);
        if (output is null || output.Tokens[^1].Value == "-")
        {
            return;
        }

        string path = output.Tokens[^1].Value;
        string target = RealPath(path);
        List<Token> message = [.. result.CommandResult.Children.OfType<ArgumentResult>()
            .Where(a => a.Argument.Name == "input").SelectMany(a => a.Tokens)];
        foreach (Token token in result.Tokens)
        {
            if (token.Type != TokenType.Argument || output.Tokens.Any(t => ReferenceEquals(t, token))
                || !File.Exists(token.Value))
            {
                continue;
            }

            if (RealPath(token.Value) == target || FileNodes.AreSameFile(token.Value, path))
            {
                throw new UsageException(path, message.Any(t => ReferenceEquals(t, token))
                    ? "is the input file; smime never overwrites its input."
                    : $"is the input '{token.Value}'; smime never overwrites its input.");
            }
        }

        string? storeOption = result.CommandResult.Command.Options
            .FirstOrDefault(o => o.Name == "--store") is { } store
            ? result.GetValue<string?>(store.Name)
            : null;
        string database = Path.Combine(
            storeOption ?? CertificateStore.DefaultDirectory, CertificateStore.FileName);
        foreach (string file in (string[])[database, database + "-wal", database + "-shm"])
        {
            if (RealPath(file) == target || FileNodes.AreSameFile(file, path))
            {
                throw new UsageException(path, "is the certificate store's "
                    + $"{Path.GetFileName(file)}; smime never overwrites it.");
            }
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
        else if (_intoNode)
        {
            // No truncation and no rename: a device or pipe is written as it is.
            Stream.Position = 0;
            using (var node = new FileStream(
                _target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, false))
            {
                Stream.CopyTo(node);
            }

            Stream.Dispose();
        }
        else
        {
            Stream.Dispose();
            File.Move(_tempPath!, _target, overwrite: true);
            TempFiles.Forget(_tempPath!);
        }

        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed && _tempPath is not null)
        {
            File.Delete(_tempPath);
            TempFiles.Forget(_tempPath);
        }
    }

    // The file a link leads to, through every link on the way; a loop is a usage error.
    private static string FinalTarget(string path, string full)
    {
        try
        {
            FileSystemInfo? target = File.ResolveLinkTarget(full, returnFinalTarget: true);
            return target is null ? full : Path.GetFullPath(target.FullName);
        }
        catch (IOException e)
        {
            throw new UsageException(path, e.Message);
        }
    }

    private static string RealPath(string path)
    {
        try
        {
            return Resolve(Path.GetFullPath(path), 0);
        }
        catch (IOException e)
        {
            throw new UsageException(path, e.Message);
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
