using System.Security.Cryptography;
using Smime.Mime;

namespace Smime.Tests.Mime;

public sealed class ContentBufferTests
{
    [Fact]
    public void Write_PastTheCapacity_KeepsTheBytesAndTheSpareRoom()
    {
        byte[] data = RandomNumberGenerator.GetBytes(100_000);
        var buffer = new ContentBuffer(capacity: 1000, spare: 16);

        for (int offset = 0; offset < data.Length; offset += 777)
        {
            buffer.Write(data.AsSpan(offset, Math.Min(777, data.Length - offset)));
        }

        Assert.Equal(data.Length, buffer.Length);
        Assert.True(buffer.Buffer.AsSpan(0, data.Length).SequenceEqual(data));
        Assert.True(buffer.Buffer.Length >= data.Length + 16);
    }
}
