using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Smime.Mime;

/// <summary>Finds the line ends that canonical form (RFC 8551 §3.1.1) changes: bare LFs.</summary>
internal static class LineEnds
{
    /// <summary>
    /// The index of the first LF at or after <paramref name="from"/> with no CR before it
    /// (<paramref name="previous"/> is the byte before the chunk), or -1. Mail in CRLF has none,
    /// so the search runs 16 bytes a step through the whole chunk.
    /// </summary>
    public static int IndexOfBareLf(ReadOnlySpan<byte> chunk, int from, byte previous)
    {
        int i = from;
        if (i == 0)
        {
            if (chunk.IsEmpty)
            {
                return -1;
            }

            if (chunk[0] == (byte)'\n' && previous != (byte)'\r')
            {
                return 0;
            }

            i = 1;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            ref byte first = ref MemoryMarshal.GetReference(chunk);
            Vector128<byte> lf = Vector128.Create((byte)'\n');
            Vector128<byte> cr = Vector128.Create((byte)'\r');
            for (; i <= chunk.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                Vector128<byte> here = Vector128.LoadUnsafe(ref first, (nuint)i);
                Vector128<byte> before = Vector128.LoadUnsafe(ref first, (nuint)(i - 1));
                Vector128<byte> bare = Vector128.Equals(here, lf) & ~Vector128.Equals(before, cr);
                if (bare != Vector128<byte>.Zero)
                {
                    return i + BitOperations.TrailingZeroCount(bare.ExtractMostSignificantBits());
                }
            }
        }

        for (; i < chunk.Length; i++)
        {
            if (chunk[i] == (byte)'\n' && chunk[i - 1] != (byte)'\r')
            {
                return i;
            }
        }

        return -1;
    }
}
