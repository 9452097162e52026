using Smime.Mime;

namespace Smime.Tests.Mime;

public sealed class LineEndsTests
{
    [Fact]
    public void IndexOfBareLf_EveryLengthAndStart_MatchesByteByByte()
    {
        var random = new Random(7);
        for (int n = 0; n < 20000; n++)
        {
            byte[] chunk = new byte[random.Next(0, 70)];
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)"\r\nab"[random.Next(4)];
            }

            byte previous = (byte)"\r\nx"[random.Next(3)];
            for (int from = 0; from <= chunk.Length; from++)
            {
                int want = -1;
                for (int i = from; i < chunk.Length; i++)
                {
                    if (chunk[i] == '\n' && (i == 0 ? previous : chunk[i - 1]) != '\r')
                    {
                        want = i;
                        break;
                    }
                }

                Assert.Equal(want, LineEnds.IndexOfBareLf(chunk, from, previous));
            }
        }
    }
}
