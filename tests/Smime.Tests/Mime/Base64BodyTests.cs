using System.Security.Cryptography;
using System.Text;
using MimeKit;
using Smime.Mime;

namespace Smime.Tests.Mime;

public sealed class Base64BodyTests
{
    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData(" \t\r\n")]
    public void TryDecode_LineBreaksOfAnyKind_ExactBytes(string lineEnd)
    {
        byte[] data = RandomNumberGenerator.GetBytes(10_000);
        string base64 = string.Join(lineEnd, Convert.ToBase64String(data).Chunk(76)
            .Select(chunk => new string(chunk)));
        MimePart part = Parse(base64 + lineEnd);

        ReadOnlyMemory<byte>? decoded = Base64Body.TryDecode(part, CancellationToken.None);

        Assert.NotNull(decoded);
        Assert.Equal(data, decoded.Value.ToArray());
    }

    [Fact]
    public void TryDecode_CharacterOutsideTheAlphabet_LeftToMimeKit()
    {
        MimePart part = Parse("AAEC*AwQF\r\n");

        Assert.Null(Base64Body.TryDecode(part, CancellationToken.None));
    }

    [Theory]
    [InlineData(3_000_000)]
    [InlineData(3_000_001)]
    [InlineData(3_000_002)]
    [InlineData(786_432)]
    public void TryDecode_BodyOverSeveralReadChunks_ExactBytes(int size)
    {
        // Reads are 1 MiB: the quads and the final padding fall across chunk ends.
        byte[] data = RandomNumberGenerator.GetBytes(size);
        MimePart part = Parse(
            Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks) + "\r\n");

        ReadOnlyMemory<byte>? decoded = Base64Body.TryDecode(part, CancellationToken.None);

        Assert.NotNull(decoded);
        Assert.True(decoded.Value.Span.SequenceEqual(data));
    }

    [Fact]
    public void TryDecode_PaddingBeforeTheEnd_LeftToMimeKit()
    {
        // 2,000,002 bytes end in "==", here followed by one more quad.
        string first = Convert.ToBase64String(RandomNumberGenerator.GetBytes(2_000_002));
        Assert.EndsWith("==", first);
        MimePart part = Parse(first + "\r\n" + "AAAA\r\n");

        Assert.Null(Base64Body.TryDecode(part, CancellationToken.None));
    }

    [Fact]
    public void TryDecode_TruncatedQuad_LeftToMimeKit()
    {
        MimePart part = Parse(Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)) + "AB\r\n");

        Assert.Null(Base64Body.TryDecode(part, CancellationToken.None));
    }

    private static MimePart Parse(string body)
    {
        string entity = "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + body;
        var stream = new MemoryStream(Encoding.ASCII.GetBytes(entity));
        return Assert.IsAssignableFrom<MimePart>(
            new MimeParser(stream, MimeFormat.Entity, persistent: true).ParseEntity());
    }
}
