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

    private static MimePart Parse(string body)
    {
        string entity = "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + body;
        var stream = new MemoryStream(Encoding.ASCII.GetBytes(entity));
        return Assert.IsAssignableFrom<MimePart>(
            new MimeParser(stream, MimeFormat.Entity, persistent: true).ParseEntity());
    }
}
