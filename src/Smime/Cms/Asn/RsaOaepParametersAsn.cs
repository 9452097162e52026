using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Smime.Cms.Asn;

/// <summary>
/// RSAES-OAEP-params (RFC 4055 §4.1): hashFunc [0], maskGenFunc [1] and pSourceFunc [2],
/// each EXPLICIT and each defaulting to its SHA-1 or empty-label form.
/// </summary>
internal static class RsaOaepParametersAsn
{
    // RFC 4055 §4.1: id-pSpecified, whose OCTET STRING parameter is the label.
    private const string PSpecified = "1.2.840.113549.1.1.9";

    private static readonly Asn1Tag s_hashTag = new(TagClass.ContextSpecific, 0, true);
    private static readonly Asn1Tag s_maskTag = new(TagClass.ContextSpecific, 1, true);
    private static readonly Asn1Tag s_sourceTag = new(TagClass.ContextSpecific, 2, true);

    /// <summary>
    /// Writes rSAES-OAEP-SHA256-Params: SHA-256 with NULL parameters (RFC 4055 §2.1 asks for
    /// NULL here), MGF1 with SHA-256, and pSourceFunc left at its default.
    /// </summary>
    public static void WriteSha256(AsnWriter writer)
    {
        AlgorithmIdentifierAsn sha256 = AlgorithmIdentifierAsn.WithNull(Oids.Sha256);
        var inner = new AsnWriter(AsnEncodingRules.DER);
        sha256.Write(inner);
        byte[] sha256Encoded = inner.Encode();

        using (writer.PushSequence())
        {
            using (writer.PushSequence(s_hashTag))
            {
                sha256.Write(writer);
            }

            using (writer.PushSequence(s_maskTag))
            {
                new AlgorithmIdentifierAsn(Oids.Mgf1, sha256Encoded).Write(writer);
            }
        }
    }

    /// <summary>The padding the parameters name; absent parameters mean all defaults.</summary>
    /// <exception cref="CryptographicException">The parameters are malformed.</exception>
    /// <exception cref="NotSupportedException">A hash, mask or label .NET cannot use.</exception>
    public static RSAEncryptionPadding Read(ReadOnlyMemory<byte>? parameters)
    {
        string hash = Oids.Sha1;
        string maskHash = Oids.Sha1;
        if (parameters is { } encoded)
        {
            try
            {
                (hash, maskHash) = ReadHashes(encoded);
            }
            catch (AsnContentException e)
            {
                throw new CryptographicException("The RSAES-OAEP-params are malformed.", e);
            }
        }

        // .NET's OAEP uses one hash for both the label digest and MGF1.
        if (hash != maskHash)
        {
            throw new NotSupportedException(
                $"RSAES-OAEP with hash {hash} and MGF1 hash {maskHash} is not supported.");
        }

        return hash switch
        {
            Oids.Sha1 => RSAEncryptionPadding.OaepSHA1,
            Oids.Sha256 => RSAEncryptionPadding.OaepSHA256,
            Oids.Sha384 => RSAEncryptionPadding.OaepSHA384,
            Oids.Sha512 => RSAEncryptionPadding.OaepSHA512,
            _ => throw new NotSupportedException($"RSAES-OAEP with hash {hash} is not supported."),
        };
    }

    private static (string Hash, string MaskHash) ReadHashes(ReadOnlyMemory<byte> encoded)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.BER);
        AsnReader sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        string hash = Oids.Sha1;
        string maskHash = Oids.Sha1;

        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(s_hashTag))
        {
            hash = ReadExplicit(sequence, s_hashTag, "RSAES-OAEP-params hashFunc").Oid;
        }

        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(s_maskTag))
        {
            AlgorithmIdentifierAsn mask =
                ReadExplicit(sequence, s_maskTag, "RSAES-OAEP-params maskGenFunc");
            if (mask.Oid != Oids.Mgf1 || mask.Parameters is not { } maskParameters)
            {
                throw new NotSupportedException(
                    $"RSAES-OAEP mask generation function {mask.Oid} is not supported.");
            }

            var maskReader = new AsnReader(maskParameters, AsnEncodingRules.BER);
            maskHash = AlgorithmIdentifierAsn.Read(maskReader, "MGF1 hash").Oid;
            maskReader.ThrowIfNotEmpty();
        }

        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(s_sourceTag))
        {
            AlgorithmIdentifierAsn source =
                ReadExplicit(sequence, s_sourceTag, "RSAES-OAEP-params pSourceFunc");
            if (source.Oid != PSpecified || !IsEmptyLabel(source.Parameters))
            {
                throw new NotSupportedException("RSAES-OAEP with a label is not supported.");
            }
        }

        sequence.ThrowIfNotEmpty();
        return (hash, maskHash);
    }

    private static AlgorithmIdentifierAsn ReadExplicit(AsnReader sequence, Asn1Tag tag, string name)
    {
        AsnReader explicitReader = sequence.ReadSequence(tag);
        AlgorithmIdentifierAsn identifier = AlgorithmIdentifierAsn.Read(explicitReader, name);
        explicitReader.ThrowIfNotEmpty();
        return identifier;
    }

    private static bool IsEmptyLabel(ReadOnlyMemory<byte>? parameters)
    {
        if (parameters is not { } encoded)
        {
            return true;
        }

        var reader = new AsnReader(encoded, AsnEncodingRules.BER);
        byte[] label = reader.ReadOctetString();
        reader.ThrowIfNotEmpty();
        return label.Length == 0;
    }
}
