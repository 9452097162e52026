using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Smime.Cms.Asn;

/// <summary>Attribute and SET OF Attribute (RFC 5652 §5.3), read as received.</summary>
internal static class AttributeAsn
{
    /// <summary>Attributes in one signed or unsigned attribute set.</summary>
    public const int MaxAttributes = 64;

    /// <summary>Values of one attribute.</summary>
    public const int MaxValues = 64;

    /// <summary>
    /// Reads a SET OF Attribute under the given tag; values keep their encoded bytes, as
    /// slices of <paramref name="encoded"/>.
    /// </summary>
    public static List<CmsAttribute> ReadSet(
        ReadOnlyMemory<byte> encoded,
        Asn1Tag tag,
        string structure)
    {
        var attributes = new List<CmsAttribute>();
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.BER);
            AsnReader set = reader.ReadSetOf(skipSortOrderValidation: true, expectedTag: tag);
            reader.ThrowIfNotEmpty();
            while (set.HasData)
            {
                if (attributes.Count == MaxAttributes)
                {
                    throw new CryptographicException(
                        $"The {structure} hold more than {MaxAttributes} attributes.");
                }

                attributes.Add(ReadAttribute(set, structure));
            }
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException($"The {structure} are malformed.", e);
        }

        return attributes;
    }

    /// <summary>Writes Attribute ::= SEQUENCE { attrType, attrValues SET OF }, one value.</summary>
    public static void Write(AsnWriter writer, string oid, ReadOnlySpan<byte> encodedValue)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSetOf())
            {
                writer.WriteEncodedValue(encodedValue);
            }
        }
    }

    private static CmsAttribute ReadAttribute(AsnReader set, string structure)
    {
        AsnReader sequence = set.ReadSequence();
        string oid = sequence.ReadObjectIdentifier();
        AsnReader valueSet = sequence.ReadSetOf(skipSortOrderValidation: true);
        sequence.ThrowIfNotEmpty();

        var values = new List<ReadOnlyMemory<byte>>();
        while (valueSet.HasData)
        {
            if (values.Count == MaxValues)
            {
                throw new CryptographicException(
                    $"The attribute {oid} in the {structure} has more than {MaxValues} values.");
            }

            values.Add(valueSet.ReadEncodedValue());
        }

        return new CmsAttribute(oid, values);
    }
}
