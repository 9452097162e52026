using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Smime.Cms.Asn;

/// <summary>ContentInfo (RFC 5652 §3): a content type and the [0] EXPLICIT content.</summary>
internal static class ContentInfoAsn
{
    /// <summary>
    /// Reads the outer ContentInfo (BER or DER) and returns its type and the encoded inner
    /// content, checking the type is the one expected.
    /// </summary>
    public static ReadOnlyMemory<byte> ReadContent(ReadOnlyMemory<byte> encoded, string expectedType)
    {
        (string type, ReadOnlyMemory<byte> content) = Read(encoded);
        if (type != expectedType)
        {
            throw new CryptographicException(
                $"The ContentInfo holds content type {type}, not the expected {expectedType}.");
        }

        return content;
    }

    /// <summary>Reads the outer ContentInfo and returns its type and the encoded inner content.</summary>
    public static (string ContentType, ReadOnlyMemory<byte> Content) Read(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.BER);
            AsnReader sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            string type = sequence.ReadObjectIdentifier();
            AsnReader explicitContent = sequence.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            ReadOnlyMemory<byte> content = explicitContent.ReadEncodedValue();
            explicitContent.ThrowIfNotEmpty();
            sequence.ThrowIfNotEmpty();
            return (type, content);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The CMS ContentInfo is malformed.", e);
        }
    }

    /// <summary>Writes a ContentInfo around already-encoded content, in DER.</summary>
    public static byte[] Write(string contentType, ReadOnlySpan<byte> encodedContent)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(contentType);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteEncodedValue(encodedContent);
            }
        }

        return writer.Encode();
    }
}
