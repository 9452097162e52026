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
                    writer.WriteOctetString(compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
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
            using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
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

        return output.ToArray();
    }
}
