using System.Formats.Asn1;
using System.Security.Cryptography;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

/// <summary>SMIMECapabilities (RFC 8551 §2.5.2): exact DER, lenient reading.</summary>
public sealed class SmimeCapabilitiesTests
{
    // Assembled by hand from the RFCs, one SMIMECapability per line.
    private const string ExpectedSupported =
        "30820151" +
        // AES-256-GCM, ChaCha20-Poly1305, AES-128-GCM, AES-256-CBC, AES-128-CBC, parameters
        // absent (RFC 5084, RFC 8103 §4, RFC 3565 §5).
        "300B060960864801650304012E" +
        "300D060B2A864886F70D0109100312" +
        "300B0609608648016503040106" +
        "300B060960864801650304012A" +
        "300B0609608648016503040102" +
        // RSAES-OAEP, RSAES-OAEP-params { [0] sha256 NULL, [1] mgf1 { sha256 NULL } }
        // (RFC 4055 §4.1 rSAES-OAEP-SHA256-Params).
        "303C06092A864886F70D010107" +
        "302F" + "A00F300D06096086480165030402010500" +
        "A11C301A06092A864886F70D010108300D06096086480165030402010500" +
        // rsaEncryption with NULL (RFC 3370 §4.2.1).
        "300D06092A864886F70D0101010500" +
        // dhSinglePass-stdDH-sha256/384/512kdf-scheme with the KeyWrapAlgorithm
        // id-aes256-wrap, then sha256kdf with id-aes128-wrap (RFC 5753 §7.2).
        "301506062B8104010B01300B060960864801650304012D" +
        "301506062B8104010B02300B060960864801650304012D" +
        "301506062B8104010B03300B060960864801650304012D" +
        "301506062B8104010B01300B0609608648016503040105" +
        // ecdsa-with-SHA256 and id-Ed25519, parameters absent (RFC 5758 §3.2, RFC 8419 §2.3).
        "300A06082A8648CE3D040302" +
        "300506032B6570" +
        // RSASSA-PSS with { [0] sha256 NULL, [1] mgf1 { sha256 NULL }, [2] salt 32 }
        // (RFC 4055 §3.1 rSASSA-PSS-SHA256-Params).
        "304106092A864886F70D01010A" +
        "3034" + "A00F300D06096086480165030402010500" +
        "A11C301A06092A864886F70D010108300D06096086480165030402010500" + "A203020120" +
        // sha256WithRSAEncryption with NULL (RFC 5754 §3.2).
        "300D06092A864886F70D01010B0500";

    [Fact]
    public void Encode_Supported_IsTheExpectedDer()
    {
        byte[] encoded = SmimeCapabilities.Encode(SmimeCapabilities.Supported);

        Assert.Equal(ExpectedSupported, Convert.ToHexString(encoded));
    }

    [Fact]
    public void CreateDetached_CapabilitiesAttribute_IsTheSupportedList()
    {
        using var digests = new DigestingStream([HashAlgorithmName.SHA256]);
        digests.Write([1, 2, 3]);

        SignerInfo info = SignedData.Decode(SignedData.CreateDetached(
            [new CmsSigner(Signer(TestKeyType.EcP256))], digests)).SignerInfos.Single();
        CmsAttribute attribute =
            info.SignedAttributes.Single(a => a.Oid == Oids.SmimeCapabilitiesAttribute);

        Assert.Equal(ExpectedSupported, Convert.ToHexString(attribute.Values.Single().Span));
        Assert.Equal(
            SmimeCapabilities.Supported.Select(c => c.Oid), info.Capabilities.Select(c => c.Oid));
    }

    [Fact]
    public void Decode_Supported_RoundTripsEveryEntry()
    {
        IReadOnlyList<SmimeCapability> decoded =
            SmimeCapabilities.Decode(SmimeCapabilities.Encode(SmimeCapabilities.Supported));

        Assert.Equal(SmimeCapabilities.Supported.Count, decoded.Count);
        for (int i = 0; i < decoded.Count; i++)
        {
            Assert.Equal(SmimeCapabilities.Supported[i].Oid, decoded[i].Oid);
            Assert.Equal(
                SmimeCapabilities.Supported[i].Parameters.ToArray(),
                decoded[i].Parameters.ToArray());
        }
    }

    [Fact]
    public void Decode_UnknownAndMalformedEntries_SkippedOrKept()
    {
        byte[] encoded = Convert.FromHexString(
            "3029" +
            "300606042A030405" +                   // an unknown OID: kept
            "020101" +                             // not a SEQUENCE: skipped
            "300F06092A864886F70D01010105000500" + // junk after the parameters: skipped
            "300B0609608648016503040102");         // AES-128-CBC: kept

        IReadOnlyList<SmimeCapability> decoded = SmimeCapabilities.Decode(encoded);

        Assert.Equal(["1.2.3.4.5", Oids.Aes128Cbc], decoded.Select(c => c.Oid));
    }

    [Fact]
    public void Decode_DamagedList_KeepsTheEntriesBeforeTheDamage()
    {
        // The second entry claims more bytes than the list holds.
        byte[] encoded = Convert.FromHexString("3011" + "300B0609608648016503040102" + "30050601");

        IReadOnlyList<SmimeCapability> decoded = SmimeCapabilities.Decode(encoded);

        Assert.Equal([Oids.Aes128Cbc], decoded.Select(c => c.Oid));
    }

    [Fact]
    public void Decode_NotASequence_Empty()
    {
        Assert.Empty(SmimeCapabilities.Decode(Convert.FromHexString("3020300B")));
        Assert.Empty(SmimeCapabilities.Decode(Array.Empty<byte>()));
    }

    [Fact]
    public void Decode_MoreThanTheLimit_ReadsOnlyTheLimit()
    {
        var many = Enumerable.Repeat(
            new SmimeCapability(Oids.Aes128Cbc, ReadOnlyMemory<byte>.Empty),
            SignerInfo.MaxCapabilities + 10);

        IReadOnlyList<SmimeCapability> decoded = SmimeCapabilities.Decode(
            SmimeCapabilities.Encode(many));

        Assert.Equal(SignerInfo.MaxCapabilities, decoded.Count);
    }

    [Fact]
    public void Preferred_MixedList_KnownCiphersInTheirOrder()
    {
        SmimeCapability[] announced =
        [
            new("1.2.3.4.5", ReadOnlyMemory<byte>.Empty),
            new(Oids.Aes128Cbc, ReadOnlyMemory<byte>.Empty),
            new(Oids.Rsa, new byte[] { 0x05, 0x00 }),
            new(Oids.TripleDesCbc, ReadOnlyMemory<byte>.Empty),
            new(Oids.Aes256Gcm, ReadOnlyMemory<byte>.Empty),
            new(Oids.Aes128Cbc, ReadOnlyMemory<byte>.Empty),
            new(Oids.Aes192Cbc, new byte[] { 0x05, 0x00 }),
            new(Oids.ChaCha20Poly1305, ReadOnlyMemory<byte>.Empty),
        ];

        IReadOnlyList<ContentEncryptionAlgorithm> preferred =
            SmimeCapabilities.Preferred(announced);

        Assert.Equal(
            [
                ContentEncryptionAlgorithm.Aes128Cbc, ContentEncryptionAlgorithm.Aes256Gcm,
                ContentEncryptionAlgorithm.Aes192Cbc,
                .. ChaChaIfKnown(),
            ],
            preferred);
    }

    [Fact]
    public void Preferred_OurOwnList_StrongestFirst()
    {
        IReadOnlyList<ContentEncryptionAlgorithm> preferred =
            SmimeCapabilities.Preferred(SmimeCapabilities.Supported);

        // ChaCha20-Poly1305 is second once ContentCipher knows it (RFC 8103 support lands
        // from another branch), since OpenSSL 3 gives .NET the cipher.
        Assert.True(ChaCha20Poly1305.IsSupported);
        List<ContentEncryptionAlgorithm> expected =
        [
            ContentEncryptionAlgorithm.Aes256Gcm, ContentEncryptionAlgorithm.Aes128Gcm,
            ContentEncryptionAlgorithm.Aes256Cbc, ContentEncryptionAlgorithm.Aes128Cbc,
        ];
        if (ContentCipher.FromOid(Oids.ChaCha20Poly1305) is { } chacha)
        {
            expected.Insert(1, chacha);
        }

        Assert.Equal(expected, preferred);
    }

    [Fact]
    public void Preferred_EveryCipherWeWrite_FoundByItsOid()
    {
        // Every algorithm EnvelopedContent writes is reachable from its capability.
        IEnumerable<ContentEncryptionAlgorithm> written = Enum
            .GetValues<ContentEncryptionAlgorithm>()
            .Where(a => a != ContentEncryptionAlgorithm.TripleDesCbc);
        foreach (ContentEncryptionAlgorithm algorithm in written)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            ContentCipher.ForEncryption(algorithm).WriteAlgorithmIdentifier(writer);
            string oid = new AsnReader(writer.Encode(), AsnEncodingRules.DER)
                .ReadSequence()
                .ReadObjectIdentifier();
            SmimeCapability capability = new(oid, ReadOnlyMemory<byte>.Empty);

            Assert.Equal([algorithm], SmimeCapabilities.Preferred([capability]));
        }
    }

    [Fact]
    public void Preferred_NothingKnown_Empty()
    {
        Assert.Empty(SmimeCapabilities.Preferred([]));
        Assert.Empty(SmimeCapabilities.Preferred(
            [new SmimeCapability(Oids.TripleDesCbc, ReadOnlyMemory<byte>.Empty)]));
    }

    private static ContentEncryptionAlgorithm[] ChaChaIfKnown() =>
        ContentCipher.FromOid(Oids.ChaCha20Poly1305) is { } chacha ? [chacha] : [];
}
