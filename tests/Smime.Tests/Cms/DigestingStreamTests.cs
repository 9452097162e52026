using System.Security.Cryptography;
using System.Text;
using Smime.Cms;

namespace Smime.Tests.Cms;

public sealed class DigestingStreamTests
{
    private static readonly byte[] s_data = Encoding.ASCII.GetBytes(
        string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog.\r\n", 500)));

    [Fact]
    public async Task Write_ThreeAlgorithmsInPieces_MatchOneShotHashes()
    {
        using var stream = new DigestingStream(
            [HashAlgorithmName.SHA256, HashAlgorithmName.SHA384, HashAlgorithmName.SHA512,
             HashAlgorithmName.SHA256]);

        stream.Write(s_data, 0, 1000);
        stream.WriteByte(s_data[1000]);
        await stream.WriteAsync(s_data.AsMemory(1001, 5000));
        stream.Write(s_data.AsSpan(6001));

        Assert.Equal(SHA256.HashData(s_data), stream.GetDigest(HashAlgorithmName.SHA256));
        Assert.Equal(SHA384.HashData(s_data), stream.GetDigest(HashAlgorithmName.SHA384));
        Assert.Equal(SHA512.HashData(s_data), stream.GetDigest(HashAlgorithmName.SHA512));
        Assert.Equal(SHA256.HashData(s_data), stream.GetDigest(HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Write_WithInnerStream_PassesTheSameBytesOn()
    {
        using var inner = new MemoryStream();
        using (var stream = new DigestingStream([HashAlgorithmName.SHA1], inner))
        {
            stream.Write(s_data);
            Assert.Equal(SHA1.HashData(s_data), stream.GetDigest(HashAlgorithmName.SHA1));
        }

        Assert.Equal(s_data, inner.ToArray());
        Assert.True(inner.CanWrite);
    }

    [Fact]
    public void GetDigest_AlgorithmNotGiven_ThrowsArgumentException()
    {
        using var stream = new DigestingStream([HashAlgorithmName.SHA256]);

        Assert.Throws<ArgumentException>(() => stream.GetDigest(HashAlgorithmName.SHA512));
    }

    [Fact]
    public void Constructor_Md5_ThrowsNotSupported()
    {
        var e = Assert.Throws<NotSupportedException>(
            () => new DigestingStream([HashAlgorithmName.MD5]));

        Assert.Contains("MD5", e.Message);
    }

    [Fact]
    public void Write_AfterGetDigest_ThrowsInvalidOperation()
    {
        using var stream = new DigestingStream([HashAlgorithmName.SHA256]);
        stream.Write(s_data);
        stream.GetDigest(HashAlgorithmName.SHA256);

        Assert.Throws<InvalidOperationException>(() => stream.Write(s_data));
    }
}
