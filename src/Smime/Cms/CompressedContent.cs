using System.Buffers.Binary;
using System.Formats.Asn1;
using System.IO.Compression;
using System.Security.Cryptography;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>
/// Makes and reads CMS CompressedData (RFC 3274) with zlib (RFC 1950), the one compression
/// algorithm S/MIME defines.
/// </summary>
public static class CompressedContent
{
    /// <summary>Default cap on the inflated size: 256 MiB.</summary>
    public const long DefaultMaxInflatedBytes = 256L * 1024 * 1024;

    // RFC 3274 §1.1: CompressedData version is always 0.
    private const int Version = 0;

    private static readonly Asn1Tag s_eContent = new(TagClass.ContextSpecific, 0, true);

    /// <summary>Compresses the content and wraps it in a CompressedData ContentInfo.</summary>
    /// <param name="content">The content, often a MIME entity.</param>
    /// <param name="contentType">The content's type, id-data for MIME.</param>
    /// <returns>The DER encoding of the ContentInfo.</returns>
    public static byte[] Compress(ReadOnlySpan<byte> content, string contentType = Oids.Data)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(content);
        }

        // ZLibStream writes nothing at all for no input, not even the zlib header: the
        // stream zlib itself makes for it is written instead (RFC 1950 header, one empty
        // fixed-Huffman block, Adler-32 of nothing).
        if (compressed.Length == 0)
        {
            compressed.Write(EmptyZlibStream);
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(Version);

            // RFC 3274 §2: id-alg-zlibCompress with absent parameters.
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids.ZlibCompression);
            }

            // encapContentInfo: the zlib stream is the eContent (RFC 3274 §1.1).
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(contentType);
                using (writer.PushSequence(s_eContent))
                {
                    writer.WriteOctetString(
                        compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
                }
            }
        }

        return ContentInfoAsn.Write(Oids.CompressedData, writer.Encode());
    }

    /// <summary>Reads a CompressedData ContentInfo and inflates its content.</summary>
    /// <param name="encoded">The ContentInfo, BER or DER.</param>
    /// <param name="maxInflatedBytes">The most bytes the content may inflate to.</param>
    /// <exception cref="CryptographicException">The data is not well-formed CompressedData,
    /// its zlib stream is corrupt, or it inflates past the cap; an unknown compression
    /// algorithm has a NotSupportedException inside naming the OID.</exception>
    public static DecompressedContent Decompress(
        ReadOnlyMemory<byte> encoded,
        long maxInflatedBytes = DefaultMaxInflatedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInflatedBytes);
        maxInflatedBytes = Math.Min(maxInflatedBytes, Array.MaxLength);
        ReadOnlyMemory<byte> body = ContentInfoAsn.ReadContent(encoded, Oids.CompressedData);
        string contentType;
        byte[] compressed;
        try
        {
            var reader = new AsnReader(body, AsnEncodingRules.BER);
            AsnReader sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!sequence.TryReadInt32(out int version) || version != Version)
            {
                throw new CryptographicException("The CompressedData version is not 0.");
            }

            CheckAlgorithm(AlgorithmIdentifierAsn.Read(
                sequence, "CompressedData compressionAlgorithm"));
            AsnReader encapsulated = sequence.ReadSequence();
            sequence.ThrowIfNotEmpty();
            contentType = encapsulated.ReadObjectIdentifier();
            if (!encapsulated.HasData)
            {
                throw new CryptographicException("The CompressedData has no eContent.");
            }

            AsnReader eContent = encapsulated.ReadSequence(s_eContent);
            compressed = eContent.ReadOctetString();
            eContent.ThrowIfNotEmpty();
            encapsulated.ThrowIfNotEmpty();
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The CompressedData is malformed.", e);
        }

        return new DecompressedContent(Inflate(compressed, maxInflatedBytes), contentType);
    }

    private static void CheckAlgorithm(AlgorithmIdentifierAsn algorithm)
    {
        if (algorithm.Oid != Oids.ZlibCompression)
        {
            string message = $"The compression algorithm {algorithm.Oid} is not supported.";
            throw new CryptographicException(message, new NotSupportedException(message));
        }

        // Compat: RFC 3274 §2 says absent; some writers put NULL, which means the same.
        if (!algorithm.HasNullOrAbsentParameters)
        {
            throw new CryptographicException(
                "The zlib compressionAlgorithm has parameters; RFC 3274 §2 has none.");
        }
    }

    private static byte[] Inflate(byte[] compressed, long maxInflatedBytes)
    {
        var output = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            using var zlib = new ZLibStream(
                new MemoryStream(compressed), CompressionMode.Decompress);
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                // Checked before the bytes are kept: a bomb never grows past the cap.
                if (output.Length + read > maxInflatedBytes)
                {
                    throw new CryptographicException(
                        $"The CompressedData inflates to more than {maxInflatedBytes} bytes, " +
                        "the limit; it is refused as a possible zip bomb.");
                }

                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new CryptographicException("The CompressedData's zlib stream is corrupt.", e);
        }

        // ZLibStream stops quietly at the end of a stream cut short, so the Adler-32 trailer
        // (RFC 1950 §2.2), which ends the eContent, is checked here against what came out.
        ReadOnlySpan<byte> inflated = output.GetBuffer().AsSpan(0, (int)output.Length);
        if (compressed.Length < ZlibOverhead
            || Adler32(inflated) != BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(^4)))
        {
            throw new CryptographicException(
                "The CompressedData's zlib stream is cut short or followed by other data: " +
                "its Adler-32 check value does not match.");
        }

        return output.ToArray();
    }

    private static ReadOnlySpan<byte> EmptyZlibStream => [0x78, 0x9C, 0x03, 0x00, 0, 0, 0, 1];

    // RFC 1950 §2.2: a two-byte header and a four-byte Adler-32 around the deflate data.
    private const int ZlibOverhead = 6;

    /// <summary>Adler-32 (RFC 1950 §8), the zlib check value: a checksum, not a MAC.</summary>
    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Modulus = 65521;

        // 5552 bytes is the most that keeps the sums inside 32 bits between reductions.
        const int Chunk = 5552;
        uint a = 1;
        uint b = 0;
        while (!data.IsEmpty)
        {
            ReadOnlySpan<byte> chunk = data[..Math.Min(Chunk, data.Length)];
            foreach (byte value in chunk)
            {
                a += value;
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[chunk.Length..];
        }

        return (b << 16) | a;
    }
}
