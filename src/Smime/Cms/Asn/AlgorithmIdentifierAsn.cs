using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Smime.Cms.Asn;

/// <summary>AlgorithmIdentifier (RFC 5280 §4.1.1.2): an OID and optional parameters.</summary>
internal readonly record struct AlgorithmIdentifierAsn(string Oid, ReadOnlyMemory<byte>? Parameters)
{
    /// <summary>Reads one AlgorithmIdentifier SEQUENCE; parameters keep their encoded bytes.</summary>
    public static AlgorithmIdentifierAsn Read(AsnReader reader, string structure)
    {
        try
        {
            AsnReader sequence = reader.ReadSequence();
            string oid = sequence.ReadObjectIdentifier();
            ReadOnlyMemory<byte>? parameters = null;
            if (sequence.HasData)
            {
                parameters = sequence.ReadEncodedValue();
            }

            sequence.ThrowIfNotEmpty();
            return new AlgorithmIdentifierAsn(oid, parameters);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException($"The {structure} is not a valid AlgorithmIdentifier.", e);
        }
    }

    /// <summary>Whether the parameters are absent or an explicit NULL.</summary>
    public bool HasNullOrAbsentParameters =>
        Parameters is null || Parameters.Value.Span.SequenceEqual(s_derNull);

    /// <summary>Writes the SEQUENCE; parameters are written as given (null means absent).</summary>
    public void Write(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oid);
            if (Parameters is { } parameters)
            {
                writer.WriteEncodedValue(parameters.Span);
            }
        }
    }

    /// <summary>An identifier whose parameters are an explicit NULL (RSA, RFC 3370 §3.2).</summary>
    public static AlgorithmIdentifierAsn WithNull(string oid) => new(oid, s_derNull);

    /// <summary>The DER of NULL, as parameters.</summary>
    public static ReadOnlyMemory<byte> NullParameters => s_derNull;

    private static readonly byte[] s_derNull = [0x05, 0x00];
}
