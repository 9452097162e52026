namespace Smime.Mime;

/// <summary>
/// A write-only stream into one array that the caller takes over afterwards: like a
/// MemoryStream, but its array is not zeroed first (each page is touched once, by the write)
/// and it keeps room at the end for what is done in place later (CBC padding).
/// </summary>
internal sealed class ContentBuffer : Stream
{
    private readonly int _spare;
    private byte[] _buffer;
    private int _length;

    /// <param name="capacity">The expected length; the array grows past it when needed.</param>
    /// <param name="spare">Bytes always left free after the content.</param>
    public ContentBuffer(long capacity, int spare)
    {
        _spare = spare;
        long size = Math.Clamp(capacity + spare, 256, Array.MaxLength);
        _buffer = GC.AllocateUninitializedArray<byte>((int)size);
    }

    /// <summary>The array: the content in its first <see cref="Length"/> bytes.</summary>
    public byte[] Buffer => _buffer;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long needed = (long)_length + buffer.Length + _spare;
        if (needed > _buffer.Length)
        {
            Grow(needed);
        }

        buffer.CopyTo(_buffer.AsSpan(_length));
        _length += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Grow(long needed)
    {
        if (needed > Array.MaxLength)
        {
            throw new IOException("The content is too large to hold in one array.");
        }

        long size = Math.Clamp(Math.Max(needed, (long)_buffer.Length * 2), 0, Array.MaxLength);
        byte[] larger = GC.AllocateUninitializedArray<byte>((int)size);
        _buffer.AsSpan(0, _length).CopyTo(larger);
        _buffer = larger;
    }
}
