namespace Smime.Cli;

/// <summary>
/// Opens the process's standard input, or a stand-in that says it is closed. With descriptor 0
/// closed (`smime verify <&-`), the runtime's next descriptor takes its place: on Linux that is
/// the runtime's own signal pipe, and a read from it waits forever.
/// </summary>
internal static class StandardInput
{
    private const string FdFolder = "/proc/self/fd";

    /// <summary>Standard input, or a stream whose reads fail with "standard input is closed."</summary>
    public static Stream Open() =>
        IsClosed() ? new ClosedStream() : Console.OpenStandardInput();

    /// <summary>
    /// Whether descriptor 0 is a pipe this process also holds the write end of (a read could
    /// never see its end), or an anonymous inode (eventfd, epoll), which no caller gives as input.
    /// </summary>
    private static bool IsClosed()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            string? target = new FileInfo($"{FdFolder}/0").LinkTarget;
            if (target is null)
            {
                return false;
            }

            if (target.StartsWith("anon_inode:", StringComparison.Ordinal))
            {
                return true;
            }

            return target.StartsWith("pipe:", StringComparison.Ordinal) && HoldsWriteEnd(target);
        }
        catch (IOException)
        {
            // No /proc/self/fd/0 at all: descriptor 0 is closed.
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool HoldsWriteEnd(string pipe)
    {
        foreach (string fd in Directory.EnumerateFiles(FdFolder))
        {
            string number = Path.GetFileName(fd);
            if (number == "0" || new FileInfo(fd).LinkTarget != pipe)
            {
                continue;
            }

            // fdinfo "flags:" is octal; the access mode is its low two bits (O_WRONLY 1, O_RDWR 2).
            string? flags = File.ReadLines($"/proc/self/fdinfo/{number}")
                .FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
            if (flags is not null && (Convert.ToInt32(flags[6..].Trim(), 8) & 3) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private sealed class ClosedStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new IOException("standard input is closed.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) =>
            throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException();
    }
}
