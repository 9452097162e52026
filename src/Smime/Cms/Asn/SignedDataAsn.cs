using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Smime.Cms.Asn;

/// <summary>
/// SignedData (RFC 5652 §5.1) as received, in BER or DER: indefinite lengths and constructed
/// OCTET STRINGs are accepted, as openssl and others write them.
/// </summary>
internal sealed class SignedDataAsn
{
    /// <summary>Entries of digestAlgorithms: each signer uses one, so a few per signer.</summary>
    public const int MaxDigestAlgorithms = 4 * CmsLimits.MaxSigners;

    /// <summary>Entries of crls, skipped unread but counted.</summary>
    public const int MaxRevocationEntries = 256;

    private static readonly Asn1Tag s_context0 = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag s_context1 = new(TagClass.ContextSpecific, 1);

    public required int Version { get; init; }

    public required IReadOnlyList<AlgorithmIdentifierAsn> DigestAlgorithms { get; init; }

    public required string ContentType { get; init; }

    /// <summary>The eContent octets, joined if constructed; null when absent (detached).</summary>
    public ReadOnlyMemory<byte>? Content { get; init; }

    /// <summary>The DER of each CertificateChoices entry that is a plain Certificate.</summary>
    public required IReadOnlyList<ReadOnlyMemory<byte>> Certificates { get; init; }

    public required IReadOnlyList<SignerInfoAsn> SignerInfos { get; init; }

    /// <summary>Reads the SignedData that a ContentInfo carries.</summary>
    /// <exception cref="CryptographicException">The encoding is not a SignedData.</exception>
    public static SignedDataAsn Read(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.BER);
            AsnReader sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!sequence.TryReadInt32(out int version))
            {
                throw new CryptographicException("The SignedData version is not a small integer.");
            }

            List<AlgorithmIdentifierAsn> digestAlgorithms = ReadDigestAlgorithms(sequence);
            (string contentType, ReadOnlyMemory<byte>? content) = ReadEncapsulatedContent(sequence);
            List<ReadOnlyMemory<byte>> certificates = ReadCertificates(sequence);
            SkipRevocationInfo(sequence);
            List<SignerInfoAsn> signerInfos = ReadSignerInfos(sequence);
            sequence.ThrowIfNotEmpty();

            return new SignedDataAsn
            {
                Version = version,
                DigestAlgorithms = digestAlgorithms,
                ContentType = contentType,
                Content = content,
                Certificates = certificates,
                SignerInfos = signerInfos,
            };
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The SignedData is malformed.", e);
        }
    }

    private static List<AlgorithmIdentifierAsn> ReadDigestAlgorithms(AsnReader sequence)
    {
        AsnReader set = sequence.ReadSetOf(skipSortOrderValidation: true);
        var algorithms = new List<AlgorithmIdentifierAsn>();
        while (set.HasData)
        {
            if (algorithms.Count == MaxDigestAlgorithms)
            {
                throw new CryptographicException(
                    $"The SignedData digestAlgorithms hold more than {MaxDigestAlgorithms} entries.");
            }

            algorithms.Add(AlgorithmIdentifierAsn.Read(set, "SignedData digestAlgorithms entry"));
        }

        return algorithms;
    }

    // EncapsulatedContentInfo ::= SEQUENCE { eContentType, eContent [0] EXPLICIT OCTET STRING
    // OPTIONAL } (RFC 5652 §5.2). BER writers may split eContent into a constructed string.
    private static (string, ReadOnlyMemory<byte>?) ReadEncapsulatedContent(AsnReader sequence)
    {
        AsnReader encap = sequence.ReadSequence();
        string contentType = encap.ReadObjectIdentifier();
        ReadOnlyMemory<byte>? content = null;
        if (encap.HasData)
        {
            AsnReader explicitContent = encap.ReadSequence(s_context0);
            Asn1Tag tag = explicitContent.PeekTag();
            if (!tag.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
            {
                throw new CryptographicException(
                    $"The SignedData eContent has the tag {tag}, not the OCTET STRING of " +
                    "RFC 5652 §5.2.");
            }

            content = SignerInfoAsn.ReadOctets(explicitContent, Asn1Tag.PrimitiveOctetString);
            explicitContent.ThrowIfNotEmpty();
        }

        encap.ThrowIfNotEmpty();
        return (contentType, content);
    }

    // certificates [0] IMPLICIT CertificateSet: only the plain Certificate choice is kept;
    // attribute certificates and "other" formats (RFC 5652 §10.2.2) are skipped.
    private static List<ReadOnlyMemory<byte>> ReadCertificates(AsnReader sequence)
    {
        var certificates = new List<ReadOnlyMemory<byte>>();
        if (!sequence.HasData || !sequence.PeekTag().HasSameClassAndValue(s_context0))
        {
            return certificates;
        }

        AsnReader set = sequence.ReadSetOf(skipSortOrderValidation: true, expectedTag: s_context0);
        int entries = 0;
        while (set.HasData)
        {
            if (++entries > CmsLimits.MaxCertificates)
            {
                throw new CryptographicException(
                    $"The SignedData carries more than {CmsLimits.MaxCertificates} certificates.");
            }

            bool isCertificate = set.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence);
            ReadOnlyMemory<byte> value = set.ReadEncodedValue();
            if (isCertificate)
            {
                certificates.Add(value);
            }
        }

        return certificates;
    }

    // crls [1] IMPLICIT RevocationInfoChoices: not used here; revocation is checked elsewhere.
    private static void SkipRevocationInfo(AsnReader sequence)
    {
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(s_context1))
        {
            AsnReader set =
                sequence.ReadSetOf(skipSortOrderValidation: true, expectedTag: s_context1);
            int entries = 0;
            while (set.HasData)
            {
                if (++entries > MaxRevocationEntries)
                {
                    throw new CryptographicException(
                        $"The SignedData carries more than {MaxRevocationEntries} CRLs.");
                }

                set.ReadEncodedValue();
            }
        }
    }

    private static List<SignerInfoAsn> ReadSignerInfos(AsnReader sequence)
    {
        AsnReader set = sequence.ReadSetOf(skipSortOrderValidation: true);
        var signerInfos = new List<SignerInfoAsn>();
        while (set.HasData)
        {
            if (signerInfos.Count == CmsLimits.MaxSigners)
            {
                throw new CryptographicException(
                    $"The SignedData has more than {CmsLimits.MaxSigners} SignerInfos.");
            }

            signerInfos.Add(SignerInfoAsn.Read(set));
        }

        return signerInfos;
    }
}
