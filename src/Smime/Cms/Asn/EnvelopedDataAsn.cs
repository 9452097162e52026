using System.Formats.Asn1;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Smime.Cms.Asn;

/// <summary>
/// EnvelopedData (RFC 5652 §6.1) or AuthEnvelopedData (RFC 5083 §2.1), read from BER: the
/// RecipientInfos, the EncryptedContentInfo and, for AuthEnvelopedData, the mac and the
/// authAttrs that GCM authenticates. The encrypted content is a slice of the input when it
/// is one primitive OCTET STRING, and joined into one array when it is constructed.
/// </summary>
internal sealed class EnvelopedDataAsn
{
    private static readonly Asn1Tag s_tag0 = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag s_tag1 = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag s_tag2 = new(TagClass.ContextSpecific, 2);

    // X.690 §8.7.3 lets a constructed OCTET STRING hold constructed ones; writers nest one
    // level (openssl -stream, gpgsm). Deeper than this is refused rather than walked.
    private const int MaxOctetStringNesting = 8;

    private readonly bool _joinInPlace;

    private EnvelopedDataAsn(bool isAuthenticated, bool joinInPlace)
    {
        IsAuthenticated = isAuthenticated;
        _joinInPlace = joinInPlace;
    }

    public bool IsAuthenticated { get; }

    public string Name => IsAuthenticated ? "AuthEnvelopedData" : "EnvelopedData";

    public List<RecipientInfoAsn> RecipientInfos { get; } = [];

    /// <summary>The type of the encrypted content (id-data for MIME).</summary>
    public string ContentType { get; private set; } = "";

    public AlgorithmIdentifierAsn ContentEncryptionAlgorithm { get; private set; }

    public ReadOnlyMemory<byte> EncryptedContent { get; private set; }

    /// <summary>The GCM tag of AuthEnvelopedData; empty for EnvelopedData.</summary>
    public ReadOnlyMemory<byte> Mac { get; private set; }

    /// <summary>
    /// RFC 5083 §2.2: the authAttrs as a SET OF, which is GCM's additional data; empty when
    /// there are none.
    /// </summary>
    public byte[] AuthenticatedData { get; private set; } = [];

    /// <summary>Reads a ContentInfo holding EnvelopedData or AuthEnvelopedData.</summary>
    /// <param name="encoded">The ContentInfo, BER or DER.</param>
    /// <param name="joinInPlace">True to join a constructed encryptedContent's segments where
    /// they lie, overwriting its headers in <paramref name="encoded"/>, instead of into a new
    /// array; the caller must own the bytes.</param>
    /// <exception cref="CryptographicException">Any other content, or malformed.</exception>
    public static EnvelopedDataAsn Decode(ReadOnlyMemory<byte> encoded, bool joinInPlace = false)
    {
        // CmsLimits.MaxEncodedLength (2 GiB) holds by construction for a blob in memory.
        (string type, ReadOnlyMemory<byte> content) = ContentInfoAsn.Read(encoded);
        if (type is not (Oids.EnvelopedData or Oids.AuthEnvelopedData))
        {
            throw new CryptographicException(
                $"The ContentInfo holds content type {type}, which is neither EnvelopedData " +
                "nor AuthEnvelopedData.");
        }

        var data = new EnvelopedDataAsn(type == Oids.AuthEnvelopedData, joinInPlace);
        try
        {
            var reader = new AsnReader(content, AsnEncodingRules.BER);
            AsnReader sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            data.ReadBody(sequence);
            sequence.ThrowIfNotEmpty();
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException($"The {data.Name} is malformed.", e);
        }

        return data;
    }

    private void ReadBody(AsnReader sequence)
    {
        // RFC 5652 §6.1 versions run 0 to 4; RFC 5083 §2.1 fixes AuthEnvelopedData at 0.
        if (!sequence.TryReadInt32(out int version)
            || version < 0
            || version > (IsAuthenticated ? 0 : 4))
        {
            throw new CryptographicException($"The {Name} version is not one RFC 5652 defines.");
        }

        // originatorInfo [0] carries certificates for key agreement; not needed for ktri.
        if (sequence.PeekTag().HasSameClassAndValue(s_tag0))
        {
            sequence.ReadEncodedValue();
        }

        ReadRecipientInfos(sequence.ReadSetOf());
        ReadEncryptedContentInfo(sequence.ReadSequence());

        if (!IsAuthenticated)
        {
            // unprotectedAttrs [1] are not used by S/MIME; skipped.
            SkipIf(sequence, s_tag1);
            return;
        }

        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(s_tag1))
        {
            // RFC 5083 §2.2: the DER of authAttrs with the EXPLICIT SET OF tag is the AAD.
            AuthenticatedData = sequence.ReadEncodedValue().ToArray();
            AuthenticatedData[0] = 0x31;
        }

        Mac = ReadOctetString(sequence, Asn1Tag.PrimitiveOctetString);
        SkipIf(sequence, s_tag2);

        CheckAuthenticatedContentType();
    }

    private void CheckAuthenticatedContentType()
    {
        // RFC 5083 §2.1: authAttrs MUST be present when the content type is not id-data,
        // since nothing else authenticates it; without them it could have been altered.
        if (AuthenticatedData.Length == 0)
        {
            if (ContentType != Oids.Data)
            {
                throw new CryptographicException(
                    $"The AuthEnvelopedData content type is {ContentType}, not id-data, and " +
                    "has no authAttrs to authenticate it (RFC 5083 §2.1).");
            }

            return;
        }

        // A content-type attribute among them must name the same type (RFC 5652 §11.1).
        List<CmsAttribute> attributes = AttributeAsn.ReadSet(
            AuthenticatedData, Asn1Tag.SetOf, "AuthEnvelopedData authAttrs");
        foreach (CmsAttribute attribute in attributes)
        {
            if (attribute.Oid != Oids.ContentTypeAttribute)
            {
                continue;
            }

            string? named = null;
            try
            {
                if (attribute.Values.Count == 1)
                {
                    var reader = new AsnReader(attribute.Values[0], AsnEncodingRules.DER);
                    named = reader.ReadObjectIdentifier();
                    reader.ThrowIfNotEmpty();
                }
            }
            catch (AsnContentException)
            {
                named = null;
            }

            if (named != ContentType)
            {
                throw new CryptographicException(
                    "The AuthEnvelopedData content-type attribute does not name the " +
                    $"encrypted content's type {ContentType}.");
            }
        }
    }

    private void ReadRecipientInfos(AsnReader set)
    {
        while (set.HasData)
        {
            if (RecipientInfos.Count == CmsLimits.MaxRecipients)
            {
                throw new CryptographicException(
                    $"The {Name} has more than {CmsLimits.MaxRecipients} RecipientInfos.");
            }

            RecipientInfos.Add(RecipientInfoAsn.Read(set));
        }

        if (RecipientInfos.Count == 0)
        {
            throw new CryptographicException($"The {Name} has no RecipientInfo.");
        }
    }

    private void ReadEncryptedContentInfo(AsnReader info)
    {
        ContentType = info.ReadObjectIdentifier();
        ContentEncryptionAlgorithm = AlgorithmIdentifierAsn.Read(
            info, "EncryptedContentInfo contentEncryptionAlgorithm");
        if (!info.HasData)
        {
            throw new CryptographicException(
                $"The {Name} has no encryptedContent; detached content is not supported.");
        }

        // Compat: openssl and gpgsm may write encryptedContent as a constructed OCTET STRING
        // of many segments (X.690 §8.7.3); those are joined, one copy, or where they lie.
        EncryptedContent = _joinInPlace && info.PeekTag().IsConstructed
            ? JoinInPlace(info.ReadEncodedValue())
            : ReadOctetString(info, s_tag0);
        info.ThrowIfNotEmpty();
    }

    /// <summary>
    /// Moves the segments of a constructed [0] OCTET STRING to its start, each over the
    /// headers already read: the write position never passes the read position, since every
    /// segment brings a header of two bytes or more.
    /// </summary>
    private static ReadOnlyMemory<byte> JoinInPlace(ReadOnlyMemory<byte> encodedValue)
    {
        Memory<byte> value = MemoryMarshal.AsMemory(encodedValue);
        Span<byte> span = value.Span;
        Asn1Tag tag = Asn1Tag.Decode(span, out _);
        if (!tag.HasSameClassAndValue(s_tag0))
        {
            throw new CryptographicException(
                "The EncryptedContentInfo's encryptedContent is not tagged [0].");
        }

        AsnDecoder.ReadEncodedValue(
            span, AsnEncodingRules.BER, out int contentOffset, out int contentLength, out _);
        int written = 0;
        Gather(span, contentOffset, contentLength, ref written, depth: 1);
        return value[..written];
    }

    private static void Gather(Span<byte> span, int start, int length, ref int written, int depth)
    {
        if (depth > MaxOctetStringNesting)
        {
            throw new CryptographicException(
                $"The encryptedContent nests OCTET STRINGs more than {MaxOctetStringNesting} " +
                "deep.");
        }

        int end = start + length;
        int position = start;
        while (position < end)
        {
            ReadOnlySpan<byte> rest = span[position..end];
            Asn1Tag tag = Asn1Tag.Decode(rest, out _);
            if (!tag.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
            {
                throw new CryptographicException(
                    "A segment of the constructed encryptedContent is not an OCTET STRING.");
            }

            AsnDecoder.ReadEncodedValue(
                rest, AsnEncodingRules.BER, out int offset, out int count, out int consumed);
            if (tag.IsConstructed)
            {
                Gather(span, position + offset, count, ref written, depth + 1);
            }
            else
            {
                span.Slice(position + offset, count).CopyTo(span[written..]);
                written += count;
            }

            position += consumed;
        }
    }

    private static ReadOnlyMemory<byte> ReadOctetString(AsnReader reader, Asn1Tag tag)
    {
        if (reader.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> contents, tag))
        {
            return contents;
        }

        return reader.ReadOctetString(tag);
    }

    private static void SkipIf(AsnReader sequence, Asn1Tag tag)
    {
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(tag))
        {
            sequence.ReadEncodedValue();
        }
    }
}
