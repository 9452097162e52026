using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Smime.Cms.Asn;

/// <summary>
/// SignerInfo (RFC 5652 §5.3) as received. The signed attributes keep their exact encoding,
/// [0] tag included, because the signature covers those bytes and no re-encoding of them.
/// </summary>
internal sealed class SignerInfoAsn
{
    private static readonly Asn1Tag s_context0 = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag s_context1 = new(TagClass.ContextSpecific, 1);

    public required int Version { get; init; }

    /// <summary>The sid when it is issuerAndSerialNumber; otherwise null.</summary>
    public IssuerAndSerialNumberAsn? IssuerAndSerialNumber { get; init; }

    /// <summary>The sid when it is [0] subjectKeyIdentifier; otherwise null.</summary>
    public ReadOnlyMemory<byte>? SubjectKeyIdentifier { get; init; }

    public required AlgorithmIdentifierAsn DigestAlgorithm { get; init; }

    /// <summary>The [0] IMPLICIT SignedAttributes exactly as received, or null when absent.</summary>
    public ReadOnlyMemory<byte>? SignedAttributes { get; init; }

    public required AlgorithmIdentifierAsn SignatureAlgorithm { get; init; }

    public required ReadOnlyMemory<byte> Signature { get; init; }

    /// <summary>The [1] IMPLICIT UnsignedAttributes as received, or null when absent.</summary>
    public ReadOnlyMemory<byte>? UnsignedAttributes { get; init; }

    /// <summary>Reads one SignerInfo; AsnContentException propagates to the caller's catch.</summary>
    public static SignerInfoAsn Read(AsnReader reader)
    {
        AsnReader sequence = reader.ReadSequence();
        if (!sequence.TryReadInt32(out int version))
        {
            throw new CryptographicException("The SignerInfo version is not a small integer.");
        }

        IssuerAndSerialNumberAsn? issuerAndSerial = null;
        ReadOnlyMemory<byte>? keyIdentifier = null;
        Asn1Tag sidTag = sequence.PeekTag();
        if (sidTag.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            issuerAndSerial = IssuerAndSerialNumberAsn.Read(sequence);
        }
        else if (sidTag.HasSameClassAndValue(s_context0))
        {
            keyIdentifier = ReadOctets(sequence, s_context0);
        }
        else
        {
            throw new CryptographicException(
                $"The SignerInfo sid has the unexpected tag {sidTag}; RFC 5652 §5.3 allows " +
                "issuerAndSerialNumber or [0] subjectKeyIdentifier.");
        }

        AlgorithmIdentifierAsn digest =
            AlgorithmIdentifierAsn.Read(sequence, "SignerInfo digestAlgorithm");

        ReadOnlyMemory<byte>? signedAttributes = null;
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(s_context0))
        {
            signedAttributes = sequence.ReadEncodedValue();
        }

        AlgorithmIdentifierAsn signatureAlgorithm =
            AlgorithmIdentifierAsn.Read(sequence, "SignerInfo signatureAlgorithm");
        ReadOnlyMemory<byte> signature = ReadOctets(sequence, Asn1Tag.PrimitiveOctetString);

        ReadOnlyMemory<byte>? unsignedAttributes = null;
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(s_context1))
        {
            unsignedAttributes = sequence.ReadEncodedValue();
        }

        sequence.ThrowIfNotEmpty();
        return new SignerInfoAsn
        {
            Version = version,
            IssuerAndSerialNumber = issuerAndSerial,
            SubjectKeyIdentifier = keyIdentifier,
            DigestAlgorithm = digest,
            SignedAttributes = signedAttributes,
            SignatureAlgorithm = signatureAlgorithm,
            Signature = signature,
            UnsignedAttributes = unsignedAttributes,
        };
    }

    /// <summary>Reads an OCTET STRING: primitive without a copy, constructed (BER) joined.</summary>
    internal static ReadOnlyMemory<byte> ReadOctets(AsnReader reader, Asn1Tag tag)
    {
        if (reader.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> contents, tag))
        {
            return contents;
        }

        return reader.ReadOctetString(tag);
    }
}
