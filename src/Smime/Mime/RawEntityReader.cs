using System.Buffers;
using System.Security.Cryptography;
using System.Text;
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
    private const int BufferSize = 81920;

    /// <summary>
    /// Hashes the source bytes in [begin, end) once, both as they are and in CRLF form
    /// (RFC 8551 §3.1.1: a signer hashed CRLF lines, a transport may have stored bare LF).
    /// </summary>
    public static EntityDigests Hash(
        Stream source,
        long begin,
        long end,
        IReadOnlyCollection<HashAlgorithmName> algorithms,
        CancellationToken cancellationToken)
    {
        using var canonical = new DigestingStream(algorithms);
        using var raw = new DigestingStream(algorithms);
        bool sawBareLf = false;
        byte previous = 0;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            source.Seek(begin, SeekOrigin.Begin);
            long left = end - begin;
            while (left > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    throw new FormatException(
                        $"The source ended before the signed part's end at offset {end}.");
                }

                raw.Write(buffer, 0, read);
                sawBareLf |= WriteCanonical(canonical, buffer.AsSpan(0, read), ref previous);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new EntityDigests(
            Collect(canonical, algorithms),
            sawBareLf ? Collect(raw, algorithms) : null);
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
        for (int i = 0; i < chunk.Length; i++)
        {
            byte before = i > 0 ? chunk[i - 1] : previous;
            if (chunk[i] == (byte)'\n' && before != (byte)'\r')
            {
                output.Write(chunk[start..i]);
                output.Write("\r"u8);
                start = i;
                sawBareLf = true;
            }
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
