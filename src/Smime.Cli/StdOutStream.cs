namespace Smime.Cli;

/// <summary>
/// Standard output for the command: a failed write (closed, full, a reader gone) becomes a
/// <see cref="StdOutException"/>, so the error names stdout instead of the input file.
/// </summary>
internal sealed class StdOutStream(Stream inner) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StdOutException(e);
        }
    }

    public override void Flush()
    {
        try
        {
            inner.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StdOutException(e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Standard output could not be written; exit code 2.</summary>
internal sealed class StdOutException(Exception inner)
    : IOException($"stdout: cannot be written: {inner.InnerException?.Message ?? inner.Message}", inner);
