using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Cms;

/// <summary>
/// EnvelopedContent.DecryptInPlace and EncryptInPlace: the plaintext or ciphertext stays in the
/// caller's array, the same checks hold as for the copying API, and the output is DER.
/// </summary>
public sealed class EnvelopedContentInPlaceTests
{
    private static readonly Lazy<X509Certificate2> s_alice =
        new(() => TestPki.Shared.Issue("alice@example.com"));

    private static readonly Lazy<X509Certificate2> s_bob =
        new(() => TestPki.Shared.Issue("bob@example.com"));

    private static X509Certificate2 Alice => s_alice.Value;

    private static X509Certificate2 Bob => s_bob.Value;

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, 0)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Gcm, 100_000)]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305, 4097)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc, 0)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc, 16)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc, 100_001)]
    public void DecryptInPlace_OwnOutput_PlaintextIsASliceOfTheInput(
        ContentEncryptionAlgorithm algorithm,
        int length)
    {
        byte[] content = RandomNumberGenerator.GetBytes(length);
        byte[] encoded = EnvelopedContent.Encrypt(content, [new CmsRecipient(Alice)], algorithm);

        DecryptedInPlace result = EnvelopedContent.DecryptInPlace(encoded, [Alice], []);

        if (length > 0)
        {
            Assert.Same(encoded, result.Content.Array);
        }

        Assert.Equal(content, result.Content.ToArray());
        Assert.Equal(algorithm, result.Algorithm);
        Assert.Same(Alice, result.Recipient);
    }

    [Theory]
    [InlineData("-aes-256-gcm")]
    [InlineData("-aes-128-gcm")]
    [InlineData("-aes256")]
    [InlineData("-des3")]
    public void DecryptInPlace_OpenSslStreamedChunks_JoinedInPlaceExactContent(string cipher)
    {
        // openssl -stream writes indefinite lengths and the encryptedContent as a constructed
        // [0] of 4 KB OCTET STRING segments (X.690 §8.7.3): 300 KB makes 73 of them.
        using var dir = new TempDir();
        TestPki.WritePem(Alice, dir.File("alice.pem"));
        byte[] content = RandomNumberGenerator.GetBytes(300_000 + 7);
        File.WriteAllBytes(dir.File("plain.bin"), content);
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-binary", "-stream", "-outform", "DER",
            "-in", "plain.bin", "-out", "enc.der", cipher, "alice.pem");
        byte[] encoded = File.ReadAllBytes(dir.File("enc.der"));
        Assert.True(CountSegments(encoded) >= 70, "expected openssl's 4 KB segments");

        DecryptedInPlace result = EnvelopedContent.DecryptInPlace(encoded, [Alice], []);

        Assert.Same(encoded, result.Content.Array);
        Assert.Equal(content, result.Content.ToArray());
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc)]
    public void DecryptInPlace_NestedConstructedSegments_JoinedExactContent(
        ContentEncryptionAlgorithm algorithm)
    {
        // A constructed segment inside the constructed [0], X.690 §8.7.3.2 allows it.
        byte[] content = RandomNumberGenerator.GetBytes(5000);
        byte[] encoded = EnvelopedContent.Encrypt(content, [new CmsRecipient(Alice)], algorithm);
        byte[] rebuilt = WithEncryptedContent(encoded, ciphertext => Tlv(
            0xA0,
            Tlv(0x04, ciphertext[..100]),
            Tlv(0x24, Tlv(0x04, ciphertext[100..1000]), Tlv(0x04), Tlv(0x04, ciphertext[1000..]))));

        DecryptedInPlace result = EnvelopedContent.DecryptInPlace(rebuilt, [Alice], []);

        Assert.Equal(content, result.Content.ToArray());
    }

    [Fact]
    public void DecryptInPlace_SegmentNestedTooDeep_ThrowsCryptographicException()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes128Cbc);
        byte[] rebuilt = WithEncryptedContent(encoded, ciphertext =>
        {
            byte[] nested = Tlv(0x04, ciphertext);
            for (int i = 0; i < 20; i++)
            {
                nested = Tlv(0x24, nested);
            }

            return Tlv(0xA0, nested);
        });

        var e = Assert.ThrowsAny<CryptographicException>(
            () => EnvelopedContent.DecryptInPlace(rebuilt, [Alice], []));

        Assert.Contains("nests OCTET STRINGs", e.Message);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, 19)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, 1)]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305, 500)]
    public void DecryptInPlace_AeadTampered_RefusedAndNoPlaintextLeftInTheBuffer(
        ContentEncryptionAlgorithm algorithm,
        int fromEnd)
    {
        byte[] content = RandomNumberGenerator.GetBytes(10_000);
        byte[] encoded = EnvelopedContent.Encrypt(content, [new CmsRecipient(Alice)], algorithm);
        encoded[^fromEnd] ^= 0x01;

        var e = Assert.Throws<CmsDecryptionException>(
            () => EnvelopedContent.DecryptInPlace(encoded, [Alice], []));

        Assert.Contains("tag does not match", Assert.Single(e.Failures).Reason);
        Assert.StartsWith("The AuthEnvelopedData could not be decrypted", e.Message);
        Assert.True(encoded.AsSpan().IndexOf(content.AsSpan(0, 64)) < 0, "plaintext left");
        Assert.True(encoded.AsSpan().IndexOf(content.AsSpan(9_000, 64)) < 0, "plaintext left");
    }

    [Fact]
    public void DecryptInPlace_CbcPaddingCorrupted_RefusedAndCiphertextUntouched()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            new byte[10_000], [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes256Cbc);
        encoded[^17] ^= 0xFF;
        byte[] before = (byte[])encoded.Clone();

        var e = Assert.Throws<CmsDecryptionException>(
            () => EnvelopedContent.DecryptInPlace(encoded, [Alice], []));

        Assert.Contains("padding is invalid", Assert.Single(e.Failures).Reason);
        Assert.Equal(before, encoded);
    }

    [Fact]
    public void DecryptInPlace_FirstRecipientWrapsAnotherKey_SecondStillOpens()
    {
        // Alice's RecipientInfo comes from another message: it unwraps to a valid key of the
        // right length, the wrong one, so the GCM tag fails. That failure must not take the
        // ciphertext with it: Bob's RecipientInfo, tried next, opens the content.
        byte[] content = RandomNumberGenerator.GetBytes(20_000);
        const ContentEncryptionAlgorithm gcm = ContentEncryptionAlgorithm.Aes256Gcm;
        byte[] toBoth = EnvelopedContent.Encrypt(
            content, [new CmsRecipient(Alice), new CmsRecipient(Bob)], gcm);
        byte[] toAliceAlone = EnvelopedContent.Encrypt("other"u8, [new CmsRecipient(Alice)], gcm);
        byte[] aliceInfo = RecipientInfos(toAliceAlone).Single();
        byte[] bobInfo = RecipientInfos(toBoth).Single(info => Describes(info, Bob));
        byte[] spliced = WithRecipientInfos(toBoth, [aliceInfo, bobInfo]);

        DecryptedInPlace result = EnvelopedContent.DecryptInPlace(spliced, [Alice, Bob], []);

        Assert.Equal(content, result.Content.ToArray());
        Assert.Same(Bob, result.Recipient);
        Assert.Contains("tag does not match", Assert.Single(result.Failures).Reason);
    }

    [Fact]
    public void Decrypt_CopyingApi_LeavesTheInputUntouched()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            RandomNumberGenerator.GetBytes(1000),
            [new CmsRecipient(Alice)],
            ContentEncryptionAlgorithm.Aes256Gcm);
        byte[] before = (byte[])encoded.Clone();

        EnvelopedContent.Decrypt(encoded, [Alice]);

        Assert.Equal(before, encoded);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, 0)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, 70_000)]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305, 33)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc, 48)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc, 70_001)]
    public void EncryptInPlace_PiecesJoined_StrictDerThatDecrypts(
        ContentEncryptionAlgorithm algorithm,
        int length)
    {
        byte[] content = RandomNumberGenerator.GetBytes(length);
        byte[] buffer = new byte[length + EnvelopedContent.InPlacePaddingRoom];
        content.CopyTo(buffer, 0);

        EncryptedInPlace encrypted = EnvelopedContent.EncryptInPlace(
            buffer, length, [new CmsRecipient(Alice)], algorithm);
        byte[] encoded = [.. encrypted.Header, .. encrypted.Ciphertext, .. encrypted.Trailer];

        Assert.Same(buffer, encrypted.Ciphertext.Array);
        Assert.Equal(encoded.Length, encrypted.Length);
        DerCheck.AssertStrictDer(encoded);
        Assert.Equal(content, EnvelopedContent.Decrypt(encoded, [Alice]).Content);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc, 0)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc, 64)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc, 65)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc, 96)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc, 70_001)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, 70_001)]
    public void EncryptInPlace_CbcInPiecesOnAnotherThread_WrittenInOrderAndDecrypts(
        ContentEncryptionAlgorithm algorithm,
        int length)
    {
        byte[] content = RandomNumberGenerator.GetBytes(length);
        byte[] buffer = new byte[length + EnvelopedContent.InPlacePaddingRoom];
        content.CopyTo(buffer, 0);
        var pieces = new List<int>();
        using var ciphertext = new MemoryStream();

        EncryptedInPlace encrypted = EnvelopedContent.EncryptInPlace(
            buffer, length, [new CmsRecipient(Alice)], algorithm, cbcPieceLength: 32);
        encrypted.WriteCiphertext(piece =>
        {
            pieces.Add(piece.Length);
            ciphertext.Write(piece);
        });
        byte[] encoded = [.. encrypted.Header, .. ciphertext.ToArray(), .. encrypted.Trailer];

        Assert.Equal(encrypted.Ciphertext.Count, pieces.Sum());
        Assert.Equal(encrypted.Progress is not null, algorithm != ContentEncryptionAlgorithm.Aes256Gcm
            && length > 32);
        DerCheck.AssertStrictDer(encoded);
        Assert.Equal(content, EnvelopedContent.Decrypt(encoded, [Alice]).Content);
    }

    [Fact]
    public void EncryptInPlace_BackgroundCbcFails_WriteCiphertextThrowsAndWritesNothing()
    {
        byte[] buffer = new byte[1000 + EnvelopedContent.InPlacePaddingRoom];
        int written = 0;

        // 17 is no whole number of blocks: the encrypting thread refuses before any piece.
        EncryptedInPlace encrypted = EnvelopedContent.EncryptInPlace(
            buffer, 1000, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes256Cbc,
            cbcPieceLength: 17);

        CryptographicException e = Assert.Throws<CryptographicException>(() =>
            encrypted.WriteCiphertext(piece => written += piece.Length));
        Assert.Contains("content encryption failed", e.Message);
        Assert.Equal(0, written);
    }

    [Fact]
    public void EncryptInPlace_NoRoomForCbcPadding_ThrowsArgument()
    {
        byte[] buffer = new byte[32];

        Assert.Throws<ArgumentException>(() => EnvelopedContent.EncryptInPlace(
            buffer, 32, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes256Cbc));
    }

    [Fact]
    public void Encrypt_CopyingApi_StrictDer()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            RandomNumberGenerator.GetBytes(300),
            [new CmsRecipient(Alice), new CmsRecipient(Bob)],
            ContentEncryptionAlgorithm.Aes256Cbc);

        DerCheck.AssertStrictDer(encoded);
    }

    /// <summary>A tag, a definite length (X.690 §8.1.3) and the contents joined.</summary>
    private static byte[] Tlv(byte tag, params byte[][] parts)
    {
        byte[] contents = [.. parts.SelectMany(part => part)];
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(contents);
        byte[] encoded = writer.Encode();
        encoded[0] = tag;
        return encoded;
    }

    private static int CountSegments(byte[] encoded)
    {
        // openssl's segment header: 04 82 10 00, an OCTET STRING of 4096 bytes.
        int count = 0;
        ReadOnlySpan<byte> header = [0x04, 0x82, 0x10, 0x00];
        ReadOnlySpan<byte> rest = encoded;
        for (int at; (at = rest.IndexOf(header)) >= 0; count++)
        {
            rest = rest[(at + header.Length)..];
        }

        return count;
    }

    private static bool Describes(byte[] recipientInfo, X509Certificate2 certificate)
    {
        // KeyTransRecipientInfo version 0: rid is issuerAndSerialNumber (RFC 5652 §6.2.1).
        AsnReader reader = new AsnReader(recipientInfo, AsnEncodingRules.DER).ReadSequence();
        reader.ReadInteger();
        AsnReader issuerAndSerial = reader.ReadSequence();
        issuerAndSerial.ReadEncodedValue();
        return issuerAndSerial.ReadIntegerBytes().Span.SequenceEqual(
            certificate.SerialNumberBytes.Span);
    }

    private static List<byte[]> RecipientInfos(byte[] encoded)
    {
        AsnReader body = ReadBody(encoded, out _);
        body.ReadInteger();
        AsnReader set = body.ReadSetOf();
        var infos = new List<byte[]>();
        while (set.HasData)
        {
            infos.Add(set.ReadEncodedValue().ToArray());
        }

        return infos;
    }

    /// <summary>The same message with the RecipientInfos in this order (BER: not sorted).</summary>
    private static byte[] WithRecipientInfos(byte[] encoded, byte[][] infos)
    {
        AsnReader body = ReadBody(encoded, out string type);
        var writer = new AsnWriter(AsnEncodingRules.BER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(body.ReadEncodedValue().Span);
            body.ReadEncodedValue();
            using (writer.PushSetOf())
            {
                foreach (byte[] info in infos)
                {
                    writer.WriteEncodedValue(info);
                }
            }

            while (body.HasData)
            {
                writer.WriteEncodedValue(body.ReadEncodedValue().Span);
            }
        }

        return WrapContentInfo(type, writer.Encode());
    }

    /// <summary>The same message with the encryptedContent encoded another way.</summary>
    private static byte[] WithEncryptedContent(byte[] encoded, Func<byte[], byte[]> encode)
    {
        AsnReader body = ReadBody(encoded, out string type);
        var writer = new AsnWriter(AsnEncodingRules.BER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(body.ReadEncodedValue().Span);
            writer.WriteEncodedValue(body.ReadEncodedValue().Span);
            AsnReader info = body.ReadSequence();
            using (writer.PushSequence())
            {
                writer.WriteEncodedValue(info.ReadEncodedValue().Span);
                writer.WriteEncodedValue(info.ReadEncodedValue().Span);
                byte[] ciphertext = info.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
                writer.WriteEncodedValue(encode(ciphertext));
            }

            while (body.HasData)
            {
                writer.WriteEncodedValue(body.ReadEncodedValue().Span);
            }
        }

        return WrapContentInfo(type, writer.Encode());
    }

    private static AsnReader ReadBody(byte[] encoded, out string type)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.BER);
        AsnReader contentInfo = reader.ReadSequence();
        type = contentInfo.ReadObjectIdentifier();
        return contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
    }

    private static byte[] WrapContentInfo(string type, byte[] content)
    {
        var writer = new AsnWriter(AsnEncodingRules.BER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(type);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                writer.WriteEncodedValue(content);
            }
        }

        return writer.Encode();
    }
}
