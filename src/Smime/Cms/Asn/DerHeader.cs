namespace Smime.Cms.Asn;

/// <summary>
/// A DER tag-and-length header (X.690 §8.1.2, §8.1.3, §10.1), for writing a large value in
/// place into a pre-sized array instead of through AsnWriter's growing buffer.
/// </summary>
internal static class DerHeader
{
    /// <summary>Bytes taken by a one-byte tag and the definite length of the contents.</summary>
    public static int Size(long contentLength)
    {
        if (contentLength < 0x80)
        {
            return 2;
        }

        int lengthBytes = 0;
        for (long rest = contentLength; rest > 0; rest >>= 8)
        {
            lengthBytes++;
        }

        return 2 + lengthBytes;
    }

    /// <summary>Writes a one-byte tag and the length; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, byte tag, long contentLength)
    {
        int size = Size(contentLength);
        destination[0] = tag;
        if (size == 2)
        {
            destination[1] = (byte)contentLength;
            return size;
        }

        // X.690 §8.1.3.5: long form, the count of length bytes in the first with bit 8 set.
        int lengthBytes = size - 2;
        destination[1] = (byte)(0x80 | lengthBytes);
        for (int i = 0; i < lengthBytes; i++)
        {
            destination[size - 1 - i] = (byte)(contentLength >> (8 * i));
        }

        return size;
    }
}
