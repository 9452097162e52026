using System.Formats.Asn1;
using System.Security.Cryptography;
using Smime.Cms;
using Smime.Cms.Asn;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

/// <summary>SMIMECapabilities (RFC 8551 §2.5.2): exact DER, lenient reading.</summary>
public sealed class SmimeCapabilitiesTests
{
    // Our list, one SMIMECapability per line, in our order of preference (issue 5):
    // content encryption, key agreement, key transport, signatures. Each line says where its
    // bytes come from; EncodedEntry_RfcPrintedBytes_Identical checks the lines an RFC prints.
    private static readonly string[] s_expectedEntries =
    [
        // AES-256-GCM, ChaCha20-Poly1305, AES-128-GCM: no differentiating parameters, so
        // absent (RFC 8551 §2.5.2); RFC 5911's AES-GCM module declares no capability type.
        "300B060960864801650304012E",
        "300D060B2A864886F70D0109100312",
        "300B0609608648016503040106",

        // AES-256-CBC, AES-128-CBC: RFC 3565 §5.1 prints these bytes.
        "300B060960864801650304012A",
        "300B0609608648016503040102",

        // dhSinglePass-stdDH-sha256/384/512kdf-scheme with the KeyWrapAlgorithm
        // id-aes256-wrap, then sha256kdf with id-aes128-wrap: RFC 5753 §6, RFC 8418 §8.
        "301506062B8104010B01300B060960864801650304012D",
        "301506062B8104010B02300B060960864801650304012D",
        "301506062B8104010B03300B060960864801650304012D",
        "301506062B8104010B01300B0609608648016503040105",

        // dhSinglePass-stdDH-hkdf-sha256/sha512-scheme with id-aes256-wrap, then hkdf-sha256
        // with id-aes128-wrap: RFC 8418 §8.
        "301A060B2A864886F70D0109100313300B060960864801650304012D",
        "301A060B2A864886F70D0109100315300B060960864801650304012D",
        "301A060B2A864886F70D0109100313300B0609608648016503040105",

        // RSAES-OAEP with rSAES-OAEP-SHA256-Identifier's parameters, [0] and [1] EXPLICIT
        // (RFC 3560 §5 and App. A, RFC 4055, RFC 5912); see
        // OaepEntry_Rfc3560PrintedBytes_DifferOnlyByTheTags.
        "303C06092A864886F70D010107" +
        "302F" + "A00F300D06096086480165030402010500" +
        "A11C301A06092A864886F70D010108300D06096086480165030402010500",

        // rsaEncryption: nothing to tell apart, so absent and not NULL (RFC 8551 §2.5.2).
        "300B06092A864886F70D010101",

        // ecdsa-with-SHA256 (RFC 5753 §6 prints it) and id-Ed25519 (RFC 8419 §2.4, RFC 8551
        // §2.5.2), parameters absent.
        "300A06082A8648CE3D040302",
        "300506032B6570",

        // RSASSA-PSS with { [0] sha256 NULL, [1] mgf1 { sha256 NULL }, [2] salt 32 }, RFC
        // 4055's rSASSA-PSS-SHA256-Identifier: hash and salt tell PSS instances apart.
        "304106092A864886F70D01010A" +
        "3034" + "A00F300D06096086480165030402010500" +
        "A11C301A06092A864886F70D010108300D06096086480165030402010500" + "A203020120",

        // sha256WithRSAEncryption with its NULL, as RFC 8551 §2.5.2 requires.
        "300D06092A864886F70D01010B0500",
    ];

    private static readonly string s_expectedSupported =
        "308201A3" + string.Concat(s_expectedEntries);

    [Fact]
    public void Encode_Supported_IsTheExpectedDer()
    {
        byte[] encoded = SmimeCapabilities.Encode(SmimeCapabilities.Supported);

        Assert.Equal(s_expectedSupported, Convert.ToHexString(encoded));
    }

    [Fact]
    public void Encode_Supported_EveryEntryAsExpected()
    {
        // Entry by entry, so a failure names the entry.
        AsnReader list = new AsnReader(
            SmimeCapabilities.Encode(SmimeCapabilities.Supported), AsnEncodingRules.DER)
            .ReadSequence();

        foreach (string expected in s_expectedEntries)
        {
            Assert.Equal(expected, Convert.ToHexString(list.ReadEncodedValue().Span));
        }

        Assert.False(list.HasData);
    }

    // The bytes as the RFCs print them (spacing and case kept), against our entry.
    [Theory]
    [InlineData(3, "30 0B 06 09 60 86 48 01 65 03 04 01 2A", "RFC 3565 §5.1, AES-256")]
    [InlineData(4, "30 0B 06 09 60 86 48 01 65 03 04 01 02", "RFC 3565 §5.1, AES-128")]
    [InlineData(5, "30 15 06 06 2b 81 04 01 0B 01 30 0b 06 09 60 86 48 01 65 03 04 01 2D",
        "RFC 5753 §6, ECDH standard KDF=SHA-256 Wrap=AES-256")]
    [InlineData(6, "30 15 06 06 2B 81 04 01 0B 02 30 0B 06 09 60 86 48 01 65 03 04 01 2D",
        "RFC 8418 §8, X9.63-KDF SHA-384, AES-256 key wrap")]
    [InlineData(7, "30 15 06 06 2B 81 04 01 0B 03 30 0B 06 09 60 86 48 01 65 03 04 01 2D",
        "RFC 8418 §8, X9.63-KDF SHA-512, AES-256 key wrap")]
    [InlineData(8, "30 15 06 06 2b 81 04 01 0B 01 30 0b 06 09 60 86 48 01 65 03 04 01 05",
        "RFC 5753 §6, ECDH standard KDF=SHA-256 Wrap=AES-128")]
    [InlineData(9, "30 1A 06 0B 2A 86 48 86 F7 0D 01 09 10 03 13 30 0B 06 09 60 86 48 01 65 " +
        "03 04 01 2D", "RFC 8418 §8, HKDF SHA-256, AES-256 key wrap")]
    [InlineData(10, "30 1A 06 0B 2A 86 48 86 F7 0D 01 09 10 03 15 30 0B 06 09 60 86 48 01 65 " +
        "03 04 01 2D", "RFC 8418 §8, HKDF SHA-512, AES-256 key wrap")]
    [InlineData(11, "30 1A 06 0B 2A 86 48 86 F7 0D 01 09 10 03 13 30 0B 06 09 60 86 48 01 65 " +
        "03 04 01 05", "RFC 8418 §8, HKDF SHA-256, AES-128 key wrap")]
    [InlineData(14, "30 0a 06 08 2a 86 48 ce 3d 04 03 02", "RFC 5753 §6, ecdsa-with-SHA256")]
    public void EncodedEntry_RfcPrintedBytes_Identical(int index, string rfcHex, string source)
    {
        byte[] expected = Convert.FromHexString(rfcHex.Replace(" ", ""));

        byte[] entry = EncodedEntries()[index];

        Assert.True(expected.AsSpan().SequenceEqual(entry),
            $"{source}: expected {Convert.ToHexString(expected)}, " +
            $"have {Convert.ToHexString(entry)}");
    }

    [Fact]
    public void OaepEntry_Rfc3560PrintedBytes_DifferOnlyByTheTags()
    {
        // RFC 3560 §5 prints rSAES-OAEP-SHA256-Identifier without the [0] and [1] tags of
        // RSAES-OAEP-params. Those bytes are not RSAES-OAEP-params under any of its modules,
        // and our own OAEP reader refuses them; ours are the same with the tags put back.
        const string Rfc3560 =
            "30 38 06 09 2A 86 48 86 F7 0D 01 01 07 30 2B 30" +
            "0D 06 09 60 86 48 01 65 03 04 02 01 05 00 30 1A" +
            "06 09 2A 86 48 86 F7 0D 01 01 08 30 0D 06 09 60" +
            "86 48 01 65 03 04 02 01 05 00";
        string printed = Rfc3560.Replace(" ", "");
        string ours = Convert.ToHexString(EncodedEntries()[12]);
        SmimeCapability oaep = SmimeCapabilities.Supported[12];

        string untagged = ours
            .Replace("303C06092A864886F70D010107302F", "303806092A864886F70D010107302B")
            .Replace("A00F300D", "300D")
            .Replace("A11C301A", "301A");

        Assert.Equal(printed, untagged);
        Assert.Equal(Oids.RsaOaep, oaep.Oid);
        Assert.Equal(RSAEncryptionPadding.OaepSHA256, RsaOaepParametersAsn.Read(oaep.Parameters));
        byte[] printedParameters = Convert.FromHexString(printed)[13..];
        Assert.Throws<CryptographicException>(() => RsaOaepParametersAsn.Read(printedParameters));
    }

    [Fact]
    public void OaepEntry_Parameters_AreWhatKeyTransportWrites()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        RsaOaepParametersAsn.WriteSha256(writer);

        Assert.Equal(writer.Encode(), SmimeCapabilities.Supported[12].Parameters.ToArray());
    }

    [Fact]
    public void Supported_ContentCiphers_InTheIssuesOrderOfPreference()
    {
        // Issue 5: AES-256-GCM, ChaCha20-Poly1305, AES-128-GCM, AES-256-CBC, AES-128-CBC, and
        // only then key encryption and signature algorithms.
        string[] oids = SmimeCapabilities.Supported.Select(c => c.Oid).ToArray();

        Assert.Equal(
            [
                Oids.Aes256Gcm, Oids.ChaCha20Poly1305, Oids.Aes128Gcm, Oids.Aes256Cbc,
                Oids.Aes128Cbc,
            ],
            oids[..5]);
        Assert.Equal(
            [
                Oids.EcdhStdSha256Kdf, Oids.EcdhStdSha384Kdf, Oids.EcdhStdSha512Kdf,
                Oids.EcdhStdSha256Kdf, Oids.EcdhHkdfSha256, Oids.EcdhHkdfSha512,
                Oids.EcdhHkdfSha256, Oids.RsaOaep, Oids.Rsa,
                Oids.EcdsaWithSha256, Oids.Ed25519, Oids.RsaPss, Oids.Sha256WithRsa,
            ],
            oids[5..]);
    }

    [Fact]
    public void Supported_KeyAgreementEntries_NameSchemesWeImplement()
    {
        // Every key-agreement capability is a scheme KeyAgreeRecipientInfo can run, with a
        // key wrap whose parameters are absent (RFC 3565 §2.3.2).
        foreach (SmimeCapability capability in SmimeCapabilities.Supported.Skip(5).Take(7))
        {
            Assert.NotNull(KeyAgreementScheme.FromOid(capability.Oid));
            AlgorithmIdentifierAsn wrap = AlgorithmIdentifierAsn.Read(
                new AsnReader(capability.Parameters, AsnEncodingRules.DER), "wrap");
            Assert.Contains(wrap.Oid, new[] { Oids.Aes128Wrap, Oids.Aes256Wrap });
            Assert.Null(wrap.Parameters);
        }
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

        Assert.Equal(s_expectedSupported, Convert.ToHexString(attribute.Values.Single().Span));
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

    [Fact]
    public void Decode_OtherClientsEncodings_KeepsEveryKnownEntryAndItsParameters()
    {
        // What other clients send besides our forms: GCMParameters, NULL where we write
        // nothing, nothing where we write NULL, RFC 5912's bare RSASSA-PSS, and S/MIME
        // preferences; then entries that are not capabilities at all.
        byte[] encoded = Convert.FromHexString(
            "3081B4" +
            // AES-256-GCM with GCMParameters { nonce 000102..0B, ICVlen 16 }
            "301E060960864801650304012E" + "3011040C000102030405060708090A0B020110" +
            "300D06096086480165030401060500" +         // AES-128-GCM with NULL
            "300B060960864801650304012A" +             // AES-256-CBC, absent
            "300D06092A864886F70D01010B0500" +         // sha256WithRSAEncryption, NULL
            "300B06092A864886F70D01010B" +             // sha256WithRSAEncryption, absent
            "300D06092A864886F70D0101010500" +         // rsaEncryption, NULL
            "300B06092A864886F70D01010A" +             // RSASSA-PSS, absent (RFC 5912)
            "300D060B2A864886F70D0109100B01" +         // preferBinaryInside (RFC 8551 §2.5.2)
            "300A06042A030405A5020500" +               // unknown OID, [5] parameters: kept
            "3003060180" +                             // malformed OID: skipped
            "0500" +                                   // not a SEQUENCE: skipped
            "300F060960864801650304012E05000500" +     // two parameters: skipped
            "300B0609608648016503040102");             // AES-128-CBC, absent

        IReadOnlyList<SmimeCapability> decoded = SmimeCapabilities.Decode(encoded);

        Assert.Equal(
            [
                Oids.Aes256Gcm, Oids.Aes128Gcm, Oids.Aes256Cbc, Oids.Sha256WithRsa,
                Oids.Sha256WithRsa, Oids.Rsa, Oids.RsaPss, "1.2.840.113549.1.9.16.11.1",
                "1.2.3.4.5", Oids.Aes128Cbc,
            ],
            decoded.Select(c => c.Oid));
        Assert.Equal(
            [
                "3011040C000102030405060708090A0B020110", "0500", "", "0500", "", "0500", "",
                "", "A5020500", "",
            ],
            decoded.Select(c => Convert.ToHexString(c.Parameters.Span)));
        Assert.Equal(
            [
                ContentEncryptionAlgorithm.Aes256Gcm, ContentEncryptionAlgorithm.Aes128Gcm,
                ContentEncryptionAlgorithm.Aes256Cbc, ContentEncryptionAlgorithm.Aes128Cbc,
            ],
            SmimeCapabilities.Preferred(decoded));
    }

    [Fact]
    public void Decode_OpenSslDefaultList_KeepsAllEightEntries()
    {
        // The value `openssl cms -sign` (3.0.19) puts in its SMIMECapabilities: RC2 with an
        // INTEGER key size, DES and 3DES with nothing; recorded from its output.
        byte[] encoded = Convert.FromHexString(
            "306A300B060960864801650304012A300B0609608648016503040116300B0609608648016503" +
            "040102300A06082A864886F70D0307300E06082A864886F70D030202020080300D06082A8648" +
            "86F70D0302020140300706052B0E030207300D06082A864886F70D0302020128");

        IReadOnlyList<SmimeCapability> decoded = SmimeCapabilities.Decode(encoded);

        Assert.Equal(
            [
                Oids.Aes256Cbc, Oids.Aes192Cbc, Oids.Aes128Cbc, Oids.TripleDesCbc,
                "1.2.840.113549.3.2", "1.2.840.113549.3.2", "1.3.14.3.2.7",
                "1.2.840.113549.3.2",
            ],
            decoded.Select(c => c.Oid));
        Assert.Equal("02020080", Convert.ToHexString(decoded[4].Parameters.Span));
        Assert.Equal(
            [
                ContentEncryptionAlgorithm.Aes256Cbc, ContentEncryptionAlgorithm.Aes192Cbc,
                ContentEncryptionAlgorithm.Aes128Cbc,
            ],
            SmimeCapabilities.Preferred(decoded));
    }

    private static byte[][] EncodedEntries()
    {
        AsnReader list = new AsnReader(
            SmimeCapabilities.Encode(SmimeCapabilities.Supported), AsnEncodingRules.DER)
            .ReadSequence();
        var entries = new List<byte[]>();
        while (list.HasData)
        {
            entries.Add(list.ReadEncodedValue().ToArray());
        }

        return entries.ToArray();
    }

    private static ContentEncryptionAlgorithm[] ChaChaIfKnown() =>
        ContentCipher.FromOid(Oids.ChaCha20Poly1305) is { } chacha ? [chacha] : [];
}
