namespace Smime.Mime;

/// <summary>
/// A read-only view of a stream for the MIME parser that passes each byte through a
/// <see cref="HeaderScanner"/> the first time it is read. Later reads of earlier bytes (a
/// persistent parse reading a part's content back) pass unchecked. The inner stream stays open.
/// </summary>
internal sealed class HeaderLimitStream(Stream inner) : Stream
{
    private readonly HeaderScanner _scanner = new();
    private long _position = inner.CanSeek ? inner.Position : 0;
    private long _scanned = inner.CanSeek ? inner.Position : 0;

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        long end = _position + read;
        if (end > _scanned)
        {
            int skip = (int)Math.Max(0, _scanned - _position);
            _scanner.Scan(buffer[skip..read]);
            _scanned = end;
        }

        _position = end;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        _position = inner.Seek(offset, origin);
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException();
}
