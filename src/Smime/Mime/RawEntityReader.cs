using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Smime.Cms;

namespace Smime.Mime;

/// <summary>The digests of a signed entity's exact bytes, read from the parsed source.</summary>
/// <param name="Canonical">Digests of the bytes with bare LF turned into CRLF.</param>
/// <param name="Raw">Digests of the bytes as they are, or null when they equal the canonical.</param>
internal sealed record EntityDigests(
    IReadOnlyDictionary<HashAlgorithmName, byte[]> Canonical,
    IReadOnlyDictionary<HashAlgorithmName, byte[]>? Raw);

/// <summary>Reads byte ranges of the source a message was parsed from.</summary>
internal static class RawEntityReader
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Hashes the source bytes in [begin, end) in CRLF form, and also as they are when they hold
    /// a bare LF (RFC 8551 §3.1.1: a signer hashed CRLF lines, a transport may have stored bare
    /// LF). The second pass is only made for such bytes; mail that arrives in CRLF is read once.
    /// </summary>
    public static EntityDigests Hash(
        Stream source,
        long begin,
        long end,
        IReadOnlyCollection<HashAlgorithmName> algorithms,
        CancellationToken cancellationToken)
    {
        return Hash(
            (offset, buffer) =>
            {
                source.Seek(offset, SeekOrigin.Begin);
                return source.Read(buffer);
            },
            begin, end, algorithms, cancellationToken);
    }

    /// <summary>
    /// As <see cref="Hash(Stream, long, long, IReadOnlyCollection{HashAlgorithmName}, CancellationToken)"/>,
    /// started on another thread when the source is a file: it reads the file by offset, never
    /// moving the stream, so the caller goes on with the stream (and the chain checks) while
    /// the bytes are hashed. Any other source is hashed before this returns.
    /// </summary>
    public static Task<EntityDigests> HashSoon(
        Stream source,
        long begin,
        long end,
        IReadOnlyCollection<HashAlgorithmName> algorithms,
        CancellationToken cancellationToken)
    {
        if (source is not FileStream file)
        {
            return Task.FromResult(Hash(source, begin, end, algorithms, cancellationToken));
        }

        SafeFileHandle handle = file.SafeFileHandle;
        return Task.Run(() => Hash(
            (offset, buffer) => RandomAccess.Read(handle, buffer, offset),
            begin, end, algorithms, cancellationToken));
    }

    private delegate int ReadAt(long offset, Span<byte> buffer);

    private static EntityDigests Hash(
        ReadAt source,
        long begin,
        long end,
        IReadOnlyCollection<HashAlgorithmName> algorithms,
        CancellationToken cancellationToken)
    {
        bool sawBareLf;
        using (var canonical = new DigestingStream(algorithms))
        {
            sawBareLf = Pass(source, begin, end, canonical, canonicalize: true, cancellationToken);
            if (!sawBareLf)
            {
                return new EntityDigests(Collect(canonical, algorithms), null);
            }

            using var raw = new DigestingStream(algorithms);
            Pass(source, begin, end, raw, canonicalize: false, cancellationToken);
            return new EntityDigests(Collect(canonical, algorithms), Collect(raw, algorithms));
        }
    }

    // Writes [begin, end) of the source to the output, with bare LF turned into CRLF when asked;
    // says whether there was a bare LF.
    private static bool Pass(
        ReadAt source,
        long begin,
        long end,
        Stream output,
        bool canonicalize,
        CancellationToken cancellationToken)
    {
        bool sawBareLf = false;
        byte previous = 0;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long offset = begin;
            long left = end - begin;
            while (left > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int read = source(offset, buffer.AsSpan(0, (int)Math.Min(buffer.Length, left)));
                if (read == 0)
                {
                    throw new FormatException(
                        $"The source ended before the signed part's end at offset {end}.");
                }

                ReadOnlySpan<byte> chunk = buffer.AsSpan(0, read);
                if (canonicalize)
                {
                    sawBareLf |= WriteCanonical(output, chunk, ref previous);
                }
                else
                {
                    output.Write(chunk);
                }

                left -= read;
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return sawBareLf;
    }

    /// <summary>Hashes bytes held in memory (encapsulated content).</summary>
    public static EntityDigests Hash(
        ReadOnlySpan<byte> content,
        IReadOnlyCollection<HashAlgorithmName> algorithms)
    {
        using var digests = new DigestingStream(algorithms);
        digests.Write(content);
        return new EntityDigests(Collect(digests, algorithms), null);
    }

    /// <summary>Whether the source holds <paramref name="expected"/> at the offset.</summary>
    public static bool StartsWith(Stream source, long offset, string expected)
    {
        byte[] want = Encoding.ASCII.GetBytes(expected);
        byte[] have = new byte[want.Length];
        if (offset < 0 || offset > source.Length - want.Length)
        {
            return false;
        }

        source.Seek(offset, SeekOrigin.Begin);
        source.ReadExactly(have);
        return have.AsSpan().SequenceEqual(want);
    }

    private static bool WriteCanonical(Stream output, ReadOnlySpan<byte> chunk, ref byte previous)
    {
        bool sawBareLf = false;
        int start = 0;
        int bare;
        int searched = 0;
        while ((bare = LineEnds.IndexOfBareLf(chunk, searched, previous)) >= 0)
        {
            // The LF itself goes out with the next write, after the CR put before it.
            output.Write(chunk[start..bare]);
            output.Write("\r"u8);
            start = bare;
            searched = bare + 1;
            sawBareLf = true;
        }

        output.Write(chunk[start..]);
        if (chunk.Length > 0)
        {
            previous = chunk[^1];
        }

        return sawBareLf;
    }

    private static Dictionary<HashAlgorithmName, byte[]> Collect(
        DigestingStream stream,
        IReadOnlyCollection<HashAlgorithmName> algorithms)
    {
        var digests = new Dictionary<HashAlgorithmName, byte[]>();
        foreach (HashAlgorithmName algorithm in algorithms)
        {
            digests[algorithm] = stream.GetDigest(algorithm);
        }

        return digests;
    }
}
