using System.Security.Cryptography;

namespace Smime.Cms;

/// <summary>
/// A write-only stream that hashes what is written with several digest algorithms at once,
/// optionally passing the bytes on to an inner stream, so content is read once however many
/// signers there are.
/// </summary>
public sealed class DigestingStream : Stream
{
    /// <summary>Creates the stream.</summary>
    /// <param name="algorithms">The digest algorithms to compute.</param>
    /// <param name="inner">A stream that receives the same bytes, or null.</param>
    public DigestingStream(IEnumerable<HashAlgorithmName> algorithms, Stream? inner = null) =>
        throw new NotImplementedException();

    /// <summary>Finishes the named digest and returns it; later calls return the same value.</summary>
    /// <exception cref="ArgumentException">The algorithm was not among those given.</exception>
    public byte[] GetDigest(HashAlgorithmName algorithm) => throw new NotImplementedException();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => throw new NotImplementedException();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotImplementedException();
}
