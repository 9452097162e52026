using System.Security.Cryptography;

namespace Smime.Cms;

/// <summary>
/// A write-only stream that hashes what is written with several digest algorithms at once,
/// optionally passing the bytes on to an inner stream, so content is read once however many
/// signers there are. The inner stream is not disposed with this one.
/// </summary>
public sealed class DigestingStream : Stream
{
    private readonly Dictionary<HashAlgorithmName, IncrementalHash> _hashes = new();
    private readonly Dictionary<HashAlgorithmName, byte[]> _finished = new();
    private readonly Stream? _inner;
    private bool _disposed;

    /// <summary>Creates the stream.</summary>
    /// <param name="algorithms">The digest algorithms to compute: SHA-1, SHA-256, SHA-384,
    /// SHA-512; repeats are computed once.</param>
    /// <param name="inner">A stream that receives the same bytes, or null.</param>
    /// <exception cref="NotSupportedException">An algorithm is not one of those.</exception>
    public DigestingStream(IEnumerable<HashAlgorithmName> algorithms, Stream? inner = null)
    {
        ArgumentNullException.ThrowIfNull(algorithms);
        if (inner is not null && !inner.CanWrite)
        {
            throw new ArgumentException("The inner stream is not writable.", nameof(inner));
        }

        foreach (HashAlgorithmName algorithm in algorithms)
        {
            if (_hashes.ContainsKey(algorithm))
            {
                continue;
            }

            // Validates the name; MD5 and unknown names are never wanted for CMS here.
            _ = SignatureAlgorithms.HashOid(algorithm);
            _hashes.Add(algorithm, IncrementalHash.CreateHash(algorithm));
        }

        _inner = inner;
    }

    /// <summary>The algorithms this stream computes.</summary>
    public IReadOnlyCollection<HashAlgorithmName> Algorithms => _hashes.Keys;

    /// <summary>
    /// Finishes the named digest and returns it; later calls return the same value, and no
    /// more content may be written.
    /// </summary>
    /// <exception cref="ArgumentException">The algorithm was not among those given.</exception>
    public byte[] GetDigest(HashAlgorithmName algorithm)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished.TryGetValue(algorithm, out byte[]? digest))
        {
            return (byte[])digest.Clone();
        }

        if (!_hashes.TryGetValue(algorithm, out IncrementalHash? hash))
        {
            throw new ArgumentException(
                $"The digest {algorithm.Name} was not computed by this stream.", nameof(algorithm));
        }

        digest = hash.GetHashAndReset();
        _finished.Add(algorithm, digest);
        return (byte[])digest.Clone();
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_disposed;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => _inner?.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _inner?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Append(buffer);
        _inner?.Write(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(
        byte[] buffer,
        int offset,
        int count,
        CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override ValueTask WriteAsync(
        ReadOnlyMemory<byte> buffer,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Append(buffer.Span);
        return _inner?.WriteAsync(buffer, cancellationToken) ?? ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            foreach (IncrementalHash hash in _hashes.Values)
            {
                hash.Dispose();
            }

            _disposed = true;
        }

        base.Dispose(disposing);
    }

    private void Append(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished.Count > 0)
        {
            throw new InvalidOperationException(
                "A digest has already been finished; no more content can be written.");
        }

        foreach (IncrementalHash hash in _hashes.Values)
        {
            hash.AppendData(buffer);
        }
    }
}
