using System.Formats.Asn1;
using System.Security.Cryptography;
using Smime.Cms.Asn;

namespace Smime.Cms;

/// <summary>
/// The SMIMECapabilities attribute (RFC 8551 §2.5.2): what we announce, and reading what
/// correspondents announce, in their order of preference.
/// </summary>
public static class SmimeCapabilities
{
    private static readonly IReadOnlyList<SmimeCapability> s_supported = BuildSupported();

    /// <summary>
    /// What we announce, strongest first (RFC 8551 §2.5.2): content encryption, then key
    /// encryption, then signature algorithms.
    /// </summary>
    public static IReadOnlyList<SmimeCapability> Supported => s_supported;

    /// <summary>Encodes SMIMECapabilities ::= SEQUENCE OF SMIMECapability, in that order.</summary>
    /// <returns>The DER of the attribute value.</returns>
    public static byte[] Encode(IEnumerable<SmimeCapability> capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (SmimeCapability capability in capabilities)
            {
                ArgumentNullException.ThrowIfNull(capability, nameof(capabilities));
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(capability.Oid);
                    if (!capability.Parameters.IsEmpty)
                    {
                        writer.WriteEncodedValue(capability.Parameters.Span);
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>
    /// Reads an SMIMECapabilities value. The attribute is only a hint to correspondents, so an
    /// entry that cannot be read is left out, as is everything after damage to the list
    /// itself, and at most <see cref="SignerInfo.MaxCapabilities"/> entries are read.
    /// </summary>
    public static IReadOnlyList<SmimeCapability> Decode(ReadOnlyMemory<byte> encoded)
    {
        var capabilities = new List<SmimeCapability>();
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.BER);
            AsnReader sequence = reader.ReadSequence();
            while (sequence.HasData && capabilities.Count < SignerInfo.MaxCapabilities)
            {
                ReadOnlyMemory<byte> entry = sequence.ReadEncodedValue();
                if (TryReadCapability(entry) is { } capability)
                {
                    capabilities.Add(capability);
                }
            }
        }
        catch (AsnContentException)
        {
            // Keep the entries read before the damage.
        }

        return capabilities;
    }

    /// <summary>
    /// The content-encryption algorithms we can produce, in the correspondent's order of
    /// preference (RFC 8551 §2.7.1); unknown entries, other kinds of algorithm and repeats are
    /// skipped, and so is ChaCha20-Poly1305 where the platform lacks it. An empty list means
    /// that nothing usable was announced.
    /// </summary>
    public static IReadOnlyList<ContentEncryptionAlgorithm> Preferred(
        IReadOnlyList<SmimeCapability> capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var preferred = new List<ContentEncryptionAlgorithm>();
        foreach (SmimeCapability capability in capabilities)
        {
            // AES parameters are absent in a capability (RFC 3565 §5, RFC 5084 §3); a
            // sender that adds some still names the algorithm.
            if (capability is not null
                && ContentCipher.FromOid(capability.Oid) is { } cipher
                && CanProduce(capability.Oid, cipher)
                && !preferred.Contains(cipher))
            {
                preferred.Add(cipher);
            }
        }

        return preferred;
    }

    // EnvelopedContent reads 3DES but never writes it; ChaCha20-Poly1305 needs the platform's.
    private static bool CanProduce(string oid, ContentEncryptionAlgorithm cipher) =>
        cipher != ContentEncryptionAlgorithm.TripleDesCbc
        && (oid != Oids.ChaCha20Poly1305 || ChaCha20Poly1305.IsSupported);

    private static SmimeCapability? TryReadCapability(ReadOnlyMemory<byte> entry)
    {
        try
        {
            var reader = new AsnReader(entry, AsnEncodingRules.BER);
            AsnReader sequence = reader.ReadSequence();
            string oid = sequence.ReadObjectIdentifier();
            ReadOnlyMemory<byte> parameters = sequence.HasData
                ? sequence.ReadEncodedValue()
                : ReadOnlyMemory<byte>.Empty;
            sequence.ThrowIfNotEmpty();
            return new SmimeCapability(oid, parameters);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static List<SmimeCapability> BuildSupported()
    {
        byte[] sha256Null = Encode(AlgorithmIdentifierAsn.WithNull(Oids.Sha256));
        byte[] aes256Wrap = Encode(new AlgorithmIdentifierAsn(Oids.Aes256Wrap, null));
        byte[] aes128Wrap = Encode(new AlgorithmIdentifierAsn(Oids.Aes128Wrap, null));
        return
        [
            // Content encryption, parameters absent: RFC 5084 §3 (GCM), RFC 8103 §4
            // (ChaCha20-Poly1305), RFC 3565 §5 (CBC).
            Absent(Oids.Aes256Gcm),
            Absent(Oids.ChaCha20Poly1305),
            Absent(Oids.Aes128Gcm),
            Absent(Oids.Aes256Cbc),
            Absent(Oids.Aes128Cbc),

            // Key transport: RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 4055 §4.1,
            // rSAES-OAEP-SHA256-Params, pSourceFunc left at its DEFAULT), then rsaEncryption
            // with NULL (RFC 3370 §4.2.1).
            new(Oids.RsaOaep, EncodeOaepSha256Parameters(sha256Null)),
            new(Oids.Rsa, AlgorithmIdentifierAsn.NullParameters),

            // Key agreement: the X9.63 KDF schemes, each with the KeyWrapAlgorithm as its
            // parameters (RFC 5753 §7.2), AES-256 wrap first as for our content ciphers
            // (RFC 8551 §2.3).
            new(Oids.EcdhStdSha256Kdf, aes256Wrap),
            new(Oids.EcdhStdSha384Kdf, aes256Wrap),
            new(Oids.EcdhStdSha512Kdf, aes256Wrap),
            new(Oids.EcdhStdSha256Kdf, aes128Wrap),

            // Signatures: ecdsa-with-SHA256 and id-Ed25519 with absent parameters (RFC 5758
            // §3.2, RFC 8419 §2.3), RSASSA-PSS with its SHA-256 parameters (RFC 4055 §3.1),
            // sha256WithRSAEncryption with NULL (RFC 5754 §3.2).
            Absent(Oids.EcdsaWithSha256),
            Absent(Oids.Ed25519),
            new(Oids.RsaPss, PssParametersAsn.Encode(HashAlgorithmName.SHA256)),
            new(Oids.Sha256WithRsa, AlgorithmIdentifierAsn.NullParameters),
        ];
    }

    private static SmimeCapability Absent(string oid) => new(oid, ReadOnlyMemory<byte>.Empty);

    private static byte[] Encode(AlgorithmIdentifierAsn algorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        algorithm.Write(writer);
        return writer.Encode();
    }

    // RSAES-OAEP-params ::= SEQUENCE { hashFunc [0], maskGenFunc [1], pSourceFunc [2] }, the
    // tags EXPLICIT (RFC 4055 §4.1).
    private static byte[] EncodeOaepSha256Parameters(byte[] sha256Null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
            {
                writer.WriteEncodedValue(sha256Null);
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
            {
                new AlgorithmIdentifierAsn(Oids.Mgf1, sha256Null).Write(writer);
            }
        }

        return writer.Encode();
    }
}
