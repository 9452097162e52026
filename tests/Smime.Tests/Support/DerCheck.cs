using System.Formats.Asn1;

namespace Smime.Tests.Support;

/// <summary>Checks that an encoding is DER all the way down, not only at its outer level.</summary>
public static class DerCheck
{
    /// <summary>
    /// Walks every value: each tag and length must read under DER rules (definite, minimal
    /// lengths, X.690 §10.1), constructed values are walked inside, and a SET OF must be in
    /// DER order (X.690 §11.6). Primitive contents are not interpreted.
    /// </summary>
    public static void AssertStrictDer(ReadOnlyMemory<byte> encoded)
    {
        int consumed = Walk(encoded, depth: 0);
        Assert.Equal(encoded.Length, consumed);
    }

    private static int Walk(ReadOnlyMemory<byte> encoded, int depth)
    {
        Assert.True(depth < 64, "nested too deep");
        int position = 0;
        while (position < encoded.Length)
        {
            ReadOnlySpan<byte> rest = encoded.Span[position..];
            Asn1Tag tag = Asn1Tag.Decode(rest, out _);
            AsnDecoder.ReadEncodedValue(
                rest, AsnEncodingRules.DER, out int offset, out int length, out int bytes);
            if (tag.IsConstructed)
            {
                ReadOnlyMemory<byte> inner = encoded.Slice(position + offset, length);
                Assert.Equal(length, Walk(inner, depth + 1));
                if (tag.HasSameClassAndValue(Asn1Tag.SetOf))
                {
                    // AsnReader in DER mode refuses a SET OF out of order.
                    var reader = new AsnReader(
                        encoded.Slice(position, bytes), AsnEncodingRules.DER);
                    AsnReader set = reader.ReadSetOf();
                    while (set.HasData)
                    {
                        set.ReadEncodedValue();
                    }
                }
            }

            position += bytes;
        }

        return position;
    }
}
