using System.Formats.Asn1;
using System.IO.Compression;
using System.Security.Cryptography;
using Org.BouncyCastle.Cms;
using Smime.Cms;
using Smime.Cms.Asn;
using Smime.Tests.Support;

namespace Smime.Tests.Cms;

/// <summary>
/// CompressedData (RFC 3274). The openssl of this machine is built without zlib, so
/// BouncyCastle's CmsCompressedDataGenerator and CmsCompressedData stand in as the peer.
/// </summary>
public sealed class CompressedContentTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)]
    public void Compress_Decompress_RoundTrips(int length)
    {
        byte[] content = RandomNumberGenerator.GetBytes(length);

        DecompressedContent result =
            CompressedContent.Decompress(CompressedContent.Compress(content));

        Assert.Equal(content, result.Content);
        Assert.Equal(Oids.Data, result.ContentType);
    }

    [Fact]
    public void Compress_Empty_WritesTheStreamZlibMakesForNothing()
    {
        // python3 -c "import zlib; print(zlib.compress(b'').hex())" prints 789c030000000001.
        byte[] encoded = CompressedContent.Compress([]);

        Assert.EndsWith("0408789C030000000001", Convert.ToHexString(encoded));
    }

    [Fact]
    public void Compress_SignedDataType_KeepsTheType()
    {
        byte[] encoded = CompressedContent.Compress("x"u8, Oids.SignedData);

        Assert.Equal(Oids.SignedData, CompressedContent.Decompress(encoded).ContentType);
    }

    [Fact]
    public void Compress_Text_WritesVersion0ZlibWithAbsentParametersAndShrinks()
    {
        byte[] content = System.Text.Encoding.ASCII.GetBytes(
            string.Concat(Enumerable.Repeat("Content-Type: text/plain\r\n\r\nhello\r\n", 500)));

        byte[] encoded = CompressedContent.Compress(content);

        ReadOnlyMemory<byte> body = ContentInfoAsn.ReadContent(encoded, Oids.CompressedData);
        var sequence = new AsnReader(body, AsnEncodingRules.DER).ReadSequence();
        Assert.Equal(0, (int)sequence.ReadInteger());
        Assert.Equal("300D060B2A864886F70D0109100308",
            Convert.ToHexString(sequence.ReadEncodedValue().Span));
        AsnReader encapsulated = sequence.ReadSequence();
        Assert.Equal(Oids.Data, encapsulated.ReadObjectIdentifier());
        byte[] zlib = encapsulated
            .ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadOctetString();
        Assert.Equal(0x78, zlib[0]);
        Assert.True(encoded.Length < content.Length / 10);
    }

    [Fact]
    public void Decompress_BouncyCastleCompressed_ExactContent()
    {
        byte[] content = RandomNumberGenerator.GetBytes(20_000);
        byte[] encoded = new CmsCompressedDataGenerator()
            .Generate(new CmsProcessableByteArray(content), CmsCompressedDataGenerator.ZLib)
            .GetEncoded();

        Assert.Equal(content, CompressedContent.Decompress(encoded).Content);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20_000)]
    public void Compress_BouncyCastleDecompressesExactContent(int length)
    {
        byte[] content = RandomNumberGenerator.GetBytes(length);

        var compressed = new CmsCompressedData(CompressedContent.Compress(content));

        Assert.Equal(content, compressed.GetContent());
        Assert.Equal(Oids.CompressedData, compressed.ContentInfo.ContentType.Id);
    }

    [Fact]
    public void OpenSsl_ThisBuild_HasNoZlibForCms()
    {
        // If this fails, openssl gained zlib: add openssl interop for compression then.
        using var dir = new TempDir();
        File.WriteAllText(dir.File("plain.txt"), "hello");

        Peer.Result result = Peer.Run(
            "openssl", ["cms", "-compress", "-in", "plain.txt", "-outform", "DER"], dir.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unsupported compression algorithm", result.StdErr);
    }

    [Fact]
    public void Decompress_BombPastTheCap_RefusedAsZipBomb()
    {
        // 64 MiB of zeros deflate to about 64 KiB: a 1 MiB cap must stop it early.
        byte[] encoded = CompressedContent.Compress(new byte[64 * 1024 * 1024]);
        Assert.True(encoded.Length < 100_000);

        var e = Assert.Throws<CryptographicException>(
            () => CompressedContent.Decompress(encoded, maxInflatedBytes: 1024 * 1024));

        Assert.Equal(
            "The CompressedData inflates to more than 1048576 bytes, the limit; it is " +
            "refused as a possible zip bomb.",
            e.Message);
    }

    [Fact]
    public void Decompress_ExactlyAtTheCap_Opens()
    {
        byte[] encoded = CompressedContent.Compress(new byte[4096]);

        Assert.Equal(4096, CompressedContent.Decompress(encoded, 4096).Content.Length);
        Assert.Throws<CryptographicException>(() => CompressedContent.Decompress(encoded, 4095));
    }

    [Fact]
    public void DefaultMaxInflatedBytes_Is256MiB()
    {
        Assert.Equal(256L * 1024 * 1024, CompressedContent.DefaultMaxInflatedBytes);
    }

    [Fact]
    public void Decompress_UnknownAlgorithm_NamesTheOidWithNotSupportedInside()
    {
        byte[] encoded = CompressedContent.Compress("x"u8);
        byte[] zlibOid = Convert.FromHexString("060B2A864886F70D0109100308");
        byte[] otherOid = Convert.FromHexString("060B2A864886F70D0109100309");

        var e = Assert.Throws<CryptographicException>(() => CompressedContent.Decompress(
            CmsTestCertificates.ReplaceOnce(encoded, zlibOid, otherOid)));

        Assert.Contains("1.2.840.113549.1.9.16.3.9", e.Message);
        Assert.IsType<NotSupportedException>(e.InnerException);
    }

    [Fact]
    public void Decompress_CorruptZlib_ThrowsCryptographicException()
    {
        byte[] content = RandomNumberGenerator.GetBytes(1000);
        byte[] encoded = CompressedContent.Compress(content);

        // The deflate block starts after the two-byte zlib header.
        byte[] header = [0x04, 0x82];
        int at = encoded.AsSpan().IndexOf(header);
        encoded[at + 6] ^= 0xFF;

        Assert.ThrowsAny<CryptographicException>(() => CompressedContent.Decompress(encoded));
    }

    [Fact]
    public void Decompress_EveryTruncation_ThrowsCryptographicException()
    {
        byte[] encoded = CompressedContent.Compress(RandomNumberGenerator.GetBytes(300));

        for (int length = 0; length < encoded.Length; length++)
        {
            byte[] truncated = encoded[..length];
            Assert.ThrowsAny<CryptographicException>(
                () => CompressedContent.Decompress(truncated));
        }
    }

    [Fact]
    public void Decompress_EveryByteFlipped_ThrowsOnlyCryptographicExceptionOrOpens()
    {
        byte[] encoded = CompressedContent.Compress("flip me, flip me, flip me"u8);

        for (int i = 0; i < encoded.Length; i++)
        {
            byte[] flipped = (byte[])encoded.Clone();
            flipped[i] ^= 0x01;
            try
            {
                CompressedContent.Decompress(flipped);
            }
            catch (CryptographicException)
            {
            }
        }
    }

    [Fact]
    public void Decompress_EnvelopedData_ThrowsCryptographicException()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8,
            [new CmsRecipient(CmsTestCertificates.Signer(TestKeyType.Rsa2048))],
            ContentEncryptionAlgorithm.Aes256Gcm);

        var e = Assert.Throws<CryptographicException>(() => CompressedContent.Decompress(encoded));

        Assert.Contains(Oids.CompressedData, e.Message);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(100)]
    public void Decompress_ZlibStreamCutShort_ThrowsCryptographicException(int cut)
    {
        // The ASN.1 around it is whole; only the zlib stream lacks its end (and Adler-32).
        byte[] zlib = Zlib(RandomNumberGenerator.GetBytes(5000), CompressionLevel.Optimal);

        var e = Assert.Throws<CryptographicException>(
            () => CompressedContent.Decompress(HandMade(zlib[..^cut], withNull: false)));

        Assert.Contains("zlib stream", e.Message);
    }

    [Fact]
    public void Decompress_ZlibMadeByDotNetStream_ExactContent()
    {
        // An independent zlib writer (ZLibStream at its fastest level) inside a hand-made
        // CompressedData, BER with an indefinite-length outer ContentInfo.
        byte[] content = RandomNumberGenerator.GetBytes(5000);

        byte[] encoded = HandMade(Zlib(content, CompressionLevel.Fastest), withNull: true);

        Assert.Equal(content, CompressedContent.Decompress(encoded).Content);
    }

    private static byte[] Zlib(byte[] content, CompressionLevel level)
    {
        var zlib = new MemoryStream();
        using (var stream = new ZLibStream(zlib, level, leaveOpen: true))
        {
            stream.Write(content);
        }

        return zlib.ToArray();
    }

    private static byte[] HandMade(byte[] zlib, bool withNull)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids.ZlibCompression);
                if (withNull)
                {
                    writer.WriteNull();
                }
            }

            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids.Data);
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    writer.WriteOctetString(zlib);
                }
            }
        }

        byte[] body = writer.Encode();
        byte[] oid = Convert.FromHexString("060B2A864886F70D0109100109");
        return [0x30, 0x80, .. oid, 0xA0, 0x80, .. body, 0, 0, 0, 0];
    }
}
