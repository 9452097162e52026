using System.Security.Cryptography;
using System.Text;
using Smime.Mime;

namespace Smime.Tests.Mime;

public sealed class Base64LineWriterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(57)]
    [InlineData(58)]
    [InlineData(57 * 2048)]
    [InlineData((57 * 2048) + 1)]
    [InlineData(1_000_003)]
    public void Write_PiecesOfAnySize_SameAsOneBase64WithCrlfLines(int size)
    {
        byte[] data = RandomNumberGenerator.GetBytes(size);
        string expected = size == 0
            ? ""
            : Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks) + "\r\n";

        // Pieces of 1, 56, 57, 1000, ... bytes, so that lines start inside pieces.
        using var output = new MemoryStream();
        using (var lines = new Base64LineWriter(output))
        {
            int[] sizes = [1, 56, 57, 1000, 3, 200_000];
            int offset = 0;
            for (int i = 0; offset < size; i++)
            {
                int length = Math.Min(sizes[i % sizes.Length], size - offset);
                lines.Write(data.AsSpan(offset, length));
                offset += length;
            }

            lines.Finish();
        }

        Assert.Equal(expected, Encoding.ASCII.GetString(output.ToArray()));
    }
}
