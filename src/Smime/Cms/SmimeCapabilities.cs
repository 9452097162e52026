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
    /// What we announce, in our order of preference and by category (RFC 8551 §2.5.2):
    /// content encryption, then key encryption, then signature algorithms.
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
            // Parameters are absent in our own list (RFC 3565 §5.1, RFC 8551 §2.5.2), but
            // some senders add GCMParameters or NULL; the OID alone names the cipher.
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

    // Every entry follows RFC 8551 §2.5.2: the OID that names the algorithm, parameters
    // only where they tell two instances of the algorithm apart, and then exactly the DER
    // that the RFC defining the algorithm for CMS prints, so that a receiver can compare
    // bytes. Where an RFC gives the bytes, the test quotes them.
    private static List<SmimeCapability> BuildSupported()
    {
        byte[] aes256Wrap = EncodeAlgorithm(new AlgorithmIdentifierAsn(Oids.Aes256Wrap, null));
        byte[] aes128Wrap = EncodeAlgorithm(new AlgorithmIdentifierAsn(Oids.Aes128Wrap, null));
        return
        [
            // Content encryption, strongest first (AES-256-GCM leads, as in RFC 8551
            // §2.7.1.2), parameters absent. AES-CBC: RFC 3565 §5.1. AES-GCM: RFC 5084 defines no capability; the
            // GCMParameters nonce is per message and so not a differentiating parameter,
            // which RFC 8551 §2.5.2 then says MUST be omitted (the CMS-AES-CCM-and-AES-GCM-2009
            // module of RFC 5911 declares the capability without parameters as well).
            // ChaCha20-Poly1305: its nonce likewise, RFC 8551 §2.5.2.
            Absent(Oids.Aes256Gcm),
            Absent(Oids.ChaCha20Poly1305),
            Absent(Oids.Aes128Gcm),
            Absent(Oids.Aes256Cbc),
            Absent(Oids.Aes128Cbc),

            // Key agreement first, as RFC 8551 §2.3 makes ECDH the MUST: each scheme with its
            // KeyWrapAlgorithm as the parameters (RFC 5753 §6 for the X9.63 KDF schemes, RFC
            // 8418 §8 for the HKDF ones we send to X25519 and X448), AES-256 wrap first as for
            // our content ciphers (RFC 8551 §2.3 pairs wrap and content key sizes).
            new(Oids.EcdhStdSha256Kdf, aes256Wrap),
            new(Oids.EcdhStdSha384Kdf, aes256Wrap),
            new(Oids.EcdhStdSha512Kdf, aes256Wrap),
            new(Oids.EcdhStdSha256Kdf, aes128Wrap),
            new(Oids.EcdhHkdfSha256, aes256Wrap),
            new(Oids.EcdhHkdfSha512, aes256Wrap),
            new(Oids.EcdhHkdfSha256, aes128Wrap),

            // Key transport. RSAES-OAEP with rSAES-OAEP-SHA256-Identifier's parameters (RFC
            // 3560 §5), the very bytes KeyTransRecipientInfo writes. The hex RFC 3560 §5
            // prints leaves out the [0] and [1] tags that RSAES-OAEP-params has under every
            // module defining it (RFC 3560 App. A, RFC 4055, RFC 5912), so we write the
            // tagged form (RFC 5912's PKIX1-PSS-OAEP-Algorithms-2009: EXPLICIT TAGS).
            // rsaEncryption has nothing to tell apart, so its parameters are absent, not
            // NULL (RFC 8551 §2.5.2; RFC 5911's kt-rsa has no capability parameters).
            new(Oids.RsaOaep, EncodeOaepSha256Parameters()),
            Absent(Oids.Rsa),

            // Signatures. ecdsa-with-SHA256 absent (RFC 5753 §6 prints the DER), id-Ed25519
            // absent (RFC 8419 §2.4 and RFC 8551 §2.5.2). RSASSA-PSS carries
            // RSASSA-PSS-params for SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 4055's
            // rSASSA-PSS-SHA256-Identifier), since hash and salt tell PSS instances apart
            // (RFC 8551 §2.5.2; RFC 5912's module lists PSS without parameters, a form
            // Decode keeps too). sha256WithRSAEncryption keeps its NULL, the one case RFC
            // 8551 §2.5.2 names, though RFC 5912's module leaves it out.
            Absent(Oids.EcdsaWithSha256),
            Absent(Oids.Ed25519),
            new(Oids.RsaPss, PssParametersAsn.Encode(HashAlgorithmName.SHA256)),
            new(Oids.Sha256WithRsa, AlgorithmIdentifierAsn.NullParameters),
        ];
    }

    private static SmimeCapability Absent(string oid) => new(oid, ReadOnlyMemory<byte>.Empty);

    private static byte[] EncodeAlgorithm(AlgorithmIdentifierAsn algorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        algorithm.Write(writer);
        return writer.Encode();
    }

    private static byte[] EncodeOaepSha256Parameters()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        RsaOaepParametersAsn.WriteSha256(writer);
        return writer.Encode();
    }
}
