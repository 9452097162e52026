using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Smime.Cms.Asn;

/// <summary>
/// RSASSA-PSS-params (RFC 4055 §3.1), every field EXPLICIT-tagged with its DEFAULT applied:
/// SHA-1, MGF1 with SHA-1, a 20-byte salt and trailer field 1.
/// </summary>
internal readonly record struct PssParametersAsn(
    string HashOid,
    string MaskGenOid,
    string? MaskGenHashOid,
    int SaltLength,
    int TrailerField)
{
    private static readonly Asn1Tag[] s_tags =
    [
        new(TagClass.ContextSpecific, 0, isConstructed: true),
        new(TagClass.ContextSpecific, 1, isConstructed: true),
        new(TagClass.ContextSpecific, 2, isConstructed: true),
        new(TagClass.ContextSpecific, 3, isConstructed: true),
    ];

    /// <summary>Reads the parameters of an id-RSASSA-PSS AlgorithmIdentifier.</summary>
    /// <exception cref="CryptographicException">They are not RSASSA-PSS-params.</exception>
    public static PssParametersAsn Read(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.BER);
            AsnReader sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();

            string hash = Oids.Sha1;
            string maskGen = Oids.Mgf1;
            string? maskGenHash = Oids.Sha1;
            int salt = 20;
            int trailer = 1;
            if (TryEnter(sequence, 0, out AsnReader? hashField))
            {
                hash = AlgorithmIdentifierAsn.Read(hashField, "RSASSA-PSS hashAlgorithm").Oid;
                hashField.ThrowIfNotEmpty();
            }

            if (TryEnter(sequence, 1, out AsnReader? maskField))
            {
                AlgorithmIdentifierAsn mgf =
                    AlgorithmIdentifierAsn.Read(maskField, "RSASSA-PSS maskGenAlgorithm");
                maskField.ThrowIfNotEmpty();
                maskGen = mgf.Oid;
                maskGenHash = null;
                if (mgf.Oid == Oids.Mgf1 && mgf.Parameters is { } mgfParameters)
                {
                    var inner = new AsnReader(mgfParameters, AsnEncodingRules.BER);
                    maskGenHash = AlgorithmIdentifierAsn.Read(inner, "MGF1 hash").Oid;
                    inner.ThrowIfNotEmpty();
                }
            }

            if (TryEnter(sequence, 2, out AsnReader? saltField))
            {
                salt = ReadSmallInteger(saltField, "saltLength");
            }

            if (TryEnter(sequence, 3, out AsnReader? trailerField))
            {
                trailer = ReadSmallInteger(trailerField, "trailerField");
            }

            sequence.ThrowIfNotEmpty();
            return new PssParametersAsn(hash, maskGen, maskGenHash, salt, trailer);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The RSASSA-PSS parameters are malformed.", e);
        }
    }

    /// <summary>
    /// Encodes the parameters for a hash, MGF1 with the same hash and a salt as long as the
    /// hash (RFC 4055 §3.1); hash identifiers carry NULL as RFC 4055's module writes them.
    /// </summary>
    public static byte[] Encode(HashAlgorithmName hash)
    {
        string hashOid = SignatureAlgorithms.HashOid(hash);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(s_tags[0]))
            {
                AlgorithmIdentifierAsn.WithNull(hashOid).Write(writer);
            }

            using (writer.PushSequence(s_tags[1]))
            {
                var hashIdentifier = new AsnWriter(AsnEncodingRules.DER);
                AlgorithmIdentifierAsn.WithNull(hashOid).Write(hashIdentifier);
                new AlgorithmIdentifierAsn(Oids.Mgf1, hashIdentifier.Encode()).Write(writer);
            }

            using (writer.PushSequence(s_tags[2]))
            {
                writer.WriteInteger(SignatureAlgorithms.HashLength(hash));
            }
        }

        return writer.Encode();
    }

    private static bool TryEnter(
        AsnReader sequence,
        int field,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AsnReader? reader)
    {
        reader = null;
        if (!sequence.HasData || !sequence.PeekTag().HasSameClassAndValue(s_tags[field]))
        {
            return false;
        }

        reader = sequence.ReadSequence(s_tags[field]);
        return true;
    }

    private static int ReadSmallInteger(AsnReader field, string name)
    {
        if (!field.TryReadInt32(out int value) || value < 0)
        {
            throw new CryptographicException($"The RSASSA-PSS {name} is not a small integer.");
        }

        field.ThrowIfNotEmpty();
        return value;
    }
}
