using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Cms;

public sealed class EnvelopedContentTests
{
    private static readonly Lazy<X509Certificate2> s_alice =
        new(() => TestPki.Shared.Issue("alice@example.com"));

    private static readonly Lazy<X509Certificate2> s_bob =
        new(() => TestPki.Shared.Issue("bob@example.com", TestKeyType.Rsa3072));

    private static readonly Lazy<X509Certificate2> s_carol =
        new(() => TestPki.Shared.Issue("carol@example.com", TestKeyType.EcP256));

    private static X509Certificate2 Alice => s_alice.Value;

    private static X509Certificate2 Bob => s_bob.Value;

    public static TheoryData<ContentEncryptionAlgorithm, KeyTransportPadding, SignerIdentifierType>
        AllCombinations()
    {
        var data = new TheoryData<
            ContentEncryptionAlgorithm, KeyTransportPadding, SignerIdentifierType>();
        foreach (var algorithm in Enum.GetValues<ContentEncryptionAlgorithm>())
        {
            if (algorithm == ContentEncryptionAlgorithm.TripleDesCbc)
            {
                continue;
            }

            foreach (KeyTransportPadding padding in Enum.GetValues<KeyTransportPadding>())
            {
                foreach (SignerIdentifierType id in Enum.GetValues<SignerIdentifierType>())
                {
                    data.Add(algorithm, padding, id);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void Encrypt_EveryAlgorithmPaddingAndIdentifier_RoundTrips(
        ContentEncryptionAlgorithm algorithm,
        KeyTransportPadding padding,
        SignerIdentifierType identifierType)
    {
        byte[] content = RandomNumberGenerator.GetBytes(1000);

        byte[] encoded = EnvelopedContent.Encrypt(
            content, [new CmsRecipient(Alice, padding, identifierType)], algorithm);
        DecryptedContent result = EnvelopedContent.Decrypt(encoded, [Alice]);

        Assert.Equal(content, result.Content);
        Assert.Equal(algorithm, result.Algorithm);
        Assert.Equal(Oids.Data, result.ContentType);
        Assert.Equal(
            algorithm is ContentEncryptionAlgorithm.Aes128Gcm or ContentEncryptionAlgorithm.Aes192Gcm
                or ContentEncryptionAlgorithm.Aes256Gcm or ContentEncryptionAlgorithm.ChaCha20Poly1305,
            result.IsAuthenticated);
        Assert.Same(Alice, result.Recipient);
        Assert.Empty(result.Failures);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    public void Encrypt_ContentLengthAroundBlockSize_RoundTrips(int length)
    {
        byte[] content = RandomNumberGenerator.GetBytes(length);

        foreach (ContentEncryptionAlgorithm algorithm in new[]
            { ContentEncryptionAlgorithm.Aes128Cbc, ContentEncryptionAlgorithm.Aes256Gcm })
        {
            byte[] encoded =
                EnvelopedContent.Encrypt(content, [new CmsRecipient(Alice)], algorithm);
            Assert.Equal(content, EnvelopedContent.Decrypt(encoded, [Alice]).Content);
        }
    }

    [Fact]
    public void Decrypt_SecondRecipientsKey_OpensItsRecipientInfo()
    {
        byte[] content = "several recipients\r\n"u8.ToArray();
        byte[] encoded = EnvelopedContent.Encrypt(
            content,
            [
                new CmsRecipient(Alice),
                new CmsRecipient(Bob, KeyTransportPadding.OaepSha256,
                    SignerIdentifierType.SubjectKeyIdentifier),
            ],
            ContentEncryptionAlgorithm.Aes256Gcm);

        DecryptedContent result = EnvelopedContent.Decrypt(encoded, [Bob]);

        Assert.Equal(content, result.Content);
        Assert.Same(Bob, result.Recipient);
        Assert.Empty(result.Failures);
    }

    [Fact]
    public void Decrypt_RsaKeyAsPkcs8CertificateKey_Opens()
    {
        using RSA rsa = Alice.GetRSAPrivateKey()!;
        using var publicOnly = X509CertificateLoader.LoadCertificate(Alice.RawData);
        using var key = new CertificateKey(publicOnly, rsa.ExportPkcs8PrivateKey());
        byte[] encoded = EnvelopedContent.Encrypt(
            "kept apart"u8, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes128Gcm);

        DecryptedContent result = EnvelopedContent.Decrypt(encoded, [publicOnly], [key]);

        Assert.Equal("kept apart"u8.ToArray(), result.Content);
        Assert.Single(result.Failures);
        Assert.Contains("has no RSA private key", result.Failures[0].Reason);
    }

    [Fact]
    public void Encrypt_IssuerAndSerial_WritesVersion0AndRsaEncryptionWithNull()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes128Cbc);

        AsnReader body = ReadBody(encoded, Oids.EnvelopedData);
        Assert.Equal(0, (int)body.ReadInteger());
        AsnReader ktri = body.ReadSetOf().ReadSequence();
        Assert.Equal(0, (int)ktri.ReadInteger());
        ktri.ReadSequence();
        AsnReader algorithm = ktri.ReadSequence();
        Assert.Equal(Oids.Rsa, algorithm.ReadObjectIdentifier());
        algorithm.ReadNull();

        AsnReader info = body.ReadSequence();
        Assert.Equal(Oids.Data, info.ReadObjectIdentifier());
        AsnReader cipher = info.ReadSequence();
        Assert.Equal(Oids.Aes128Cbc, cipher.ReadObjectIdentifier());
        Assert.Equal(16, cipher.ReadOctetString().Length);
        Assert.Equal(16, info.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0)).Length);
        Assert.False(body.HasData);
    }

    [Fact]
    public void Encrypt_SubjectKeyIdentifier_WritesVersion2AndTheKeyId()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8,
            [new CmsRecipient(Alice, identifierType: SignerIdentifierType.SubjectKeyIdentifier)],
            ContentEncryptionAlgorithm.Aes256Cbc);

        AsnReader body = ReadBody(encoded, Oids.EnvelopedData);
        Assert.Equal(2, (int)body.ReadInteger());
        AsnReader ktri = body.ReadSetOf().ReadSequence();
        Assert.Equal(2, (int)ktri.ReadInteger());
        byte[] keyId = ktri.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
        var ski = (X509SubjectKeyIdentifierExtension)Alice.Extensions[Oids.SubjectKeyIdentifier]!;
        Assert.Equal(ski.SubjectKeyIdentifierBytes.ToArray(), keyId);
    }

    [Fact]
    public void Encrypt_OaepSha256_WritesRfc4055Parameters()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8,
            [new CmsRecipient(Alice, KeyTransportPadding.OaepSha256)],
            ContentEncryptionAlgorithm.Aes256Gcm);

        AsnReader body = ReadBody(encoded, Oids.AuthEnvelopedData);
        body.ReadInteger();
        AsnReader ktri = body.ReadSetOf().ReadSequence();
        ktri.ReadInteger();
        ktri.ReadSequence();
        byte[] algorithm = ktri.ReadEncodedValue().ToArray();

        // id-RSAES-OAEP { [0] { sha256, NULL }, [1] { mgf1, { sha256, NULL } } }, per
        // RFC 4055 §4.1 with pSourceFunc left at its default.
        Assert.Equal(
            "303C06092A864886F70D010107302F" +
            "A00F300D06096086480165030402010500" +
            "A11C301A06092A864886F70D010108300D06096086480165030402010500",
            Convert.ToHexString(algorithm));
    }

    [Fact]
    public void Encrypt_Gcm_WritesAuthEnvelopedDataWithIcvLength16AndMac()
    {
        byte[] content = RandomNumberGenerator.GetBytes(50);
        byte[] encoded = EnvelopedContent.Encrypt(
            content, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes256Gcm);

        AsnReader body = ReadBody(encoded, Oids.AuthEnvelopedData);
        Assert.Equal(0, (int)body.ReadInteger());
        body.ReadSetOf();
        AsnReader info = body.ReadSequence();
        Assert.Equal(Oids.Data, info.ReadObjectIdentifier());
        AsnReader cipher = info.ReadSequence();
        Assert.Equal(Oids.Aes256Gcm, cipher.ReadObjectIdentifier());
        AsnReader parameters = cipher.ReadSequence();
        Assert.Equal(12, parameters.ReadOctetString().Length);
        Assert.Equal(16, (int)parameters.ReadInteger());
        Assert.False(parameters.HasData);
        Assert.Equal(50, info.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0)).Length);
        Assert.Equal(16, body.ReadOctetString().Length);
        Assert.False(body.HasData);
    }

    [Fact]
    public void Describe_TwoRecipients_NamesKindAlgorithmAndRecipients()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8,
            [
                new CmsRecipient(Alice),
                new CmsRecipient(Bob, identifierType: SignerIdentifierType.SubjectKeyIdentifier),
            ],
            ContentEncryptionAlgorithm.Aes128Gcm);

        EnvelopedDescription description = EnvelopedContent.Describe(encoded);

        Assert.True(description.IsAuthenticated);
        Assert.Equal(Oids.Aes128Gcm, description.AlgorithmOid);
        Assert.Equal(ContentEncryptionAlgorithm.Aes128Gcm, description.Algorithm);
        Assert.Equal(2, description.Recipients.Count);
        Assert.Contains(description.Recipients, r => r.Contains(
            $"serial {Alice.SerialNumber}", StringComparison.Ordinal));
        Assert.Contains(description.Recipients, r => r.StartsWith(
            "subject key identifier ", StringComparison.Ordinal));
    }

    [Fact]
    public void Encrypt_TripleDes_ThrowsNotSupported()
    {
        var e = Assert.Throws<NotSupportedException>(() => EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.TripleDesCbc));

        Assert.Contains("read-only", e.Message);
    }

    [Fact]
    public void Encrypt_Ed25519Recipient_ThrowsNotSupportedNamingTheKey()
    {
        // An Ed25519 key signs only: neither key transport nor key agreement fits it.
        using CertificateKey ed25519 = CurveCertificates.Issue(
            TestPki.Shared, "ed@example.com", CurveCertificates.Ed25519);

        var e = Assert.Throws<NotSupportedException>(() => EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(ed25519.Certificate)], ContentEncryptionAlgorithm.Aes256Gcm));

        Assert.Contains("(1.3.101.112)", e.Message);
    }

    [Fact]
    public void Encrypt_NoRecipients_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => EnvelopedContent.Encrypt(
            "x"u8, [], ContentEncryptionAlgorithm.Aes256Gcm));
    }

    [Fact]
    public void Decrypt_WrongKey_ListsTheRecipient()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "secret"u8, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes256Gcm);

        var e = Assert.Throws<CmsDecryptionException>(
            () => EnvelopedContent.Decrypt(encoded, [Bob]));

        Assert.StartsWith("None of the keys given is for this message: recipients are issuer "
            + "CN=smime Test Root, O=smime tests, serial " + Alice.SerialNumber, e.Message);
        RecipientFailure failure = Assert.Single(e.Failures);
        Assert.Contains(Alice.SerialNumber, failure.Recipient);
    }

    [Fact]
    public void Decrypt_MatchingCertificateWithoutPrivateKey_RecordsFailure()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "secret"u8, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes256Gcm);
        using X509Certificate2 publicOnly = X509CertificateLoader.LoadCertificate(Alice.RawData);

        var e = Assert.Throws<CmsDecryptionException>(
            () => EnvelopedContent.Decrypt(encoded, [publicOnly]));

        Assert.Contains("has no RSA private key", Assert.Single(e.Failures).Reason);
    }

    [Fact]
    public void Decrypt_WrappedForAnotherKeyUnderMatchingName_KeyCouldNotBeUnwrapped()
    {
        // Bob's key under Alice's name: the rid matches, the RSA unwrap must fail.
        byte[] encoded = EnvelopedContent.Encrypt(
            "secret"u8, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes128Cbc);
        using X509Certificate2 publicAlice = X509CertificateLoader.LoadCertificate(Alice.RawData);
        using RSA otherKey = RSA.Create(2048);
        using X509Certificate2 impostor = ForgeKey(publicAlice, otherKey);

        var e = Assert.Throws<CmsDecryptionException>(
            () => EnvelopedContent.Decrypt(encoded, [impostor]));

        Assert.Equal("The key could not be unwrapped.", Assert.Single(e.Failures).Reason);
        Assert.StartsWith("The EnvelopedData could not be decrypted", e.Message);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, 19)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, 40)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Gcm, 1)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Gcm, 16)]
    public void Decrypt_GcmCiphertextOrTagFlipped_RefusedWithoutPlaintext(
        ContentEncryptionAlgorithm algorithm,
        int fromEnd)
    {
        // The mac field (04 10 + 16 bytes) ends the message: 1..16 from the end are the tag,
        // 19 and more the ciphertext.
        byte[] content = RandomNumberGenerator.GetBytes(100);
        byte[] encoded = EnvelopedContent.Encrypt(content, [new CmsRecipient(Alice)], algorithm);
        encoded[^fromEnd] ^= 0x01;

        var e = Assert.Throws<CmsDecryptionException>(
            () => EnvelopedContent.Decrypt(encoded, [Alice]));

        Assert.Contains("tag does not match", Assert.Single(e.Failures).Reason);
    }

    [Fact]
    public void Decrypt_CbcPaddingCorrupted_Refused()
    {
        // Flipping the last byte of the second-to-last block flips the last plaintext byte,
        // the padding length (1..16), into 0xEF..0xFE: never valid PKCS#7 padding.
        byte[] encoded = EnvelopedContent.Encrypt(
            RandomNumberGenerator.GetBytes(100),
            [new CmsRecipient(Alice)],
            ContentEncryptionAlgorithm.Aes256Cbc);
        encoded[^17] ^= 0xFF;

        var e = Assert.Throws<CmsDecryptionException>(
            () => EnvelopedContent.Decrypt(encoded, [Alice]));

        Assert.Contains("padding is invalid", Assert.Single(e.Failures).Reason);
    }

    [Fact]
    public void Decrypt_CbcLastBlockCorrupted_RefusedOrNeverTheOriginal()
    {
        // A random last block: its padding fails except about once in 256 times, and the
        // original plaintext can never come back.
        byte[] content = RandomNumberGenerator.GetBytes(64);
        byte[] encoded = EnvelopedContent.Encrypt(
            content, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes128Cbc);
        encoded[^3] ^= 0x5A;

        try
        {
            DecryptedContent result = EnvelopedContent.Decrypt(encoded, [Alice]);
            Assert.NotEqual(content, result.Content);
        }
        catch (CmsDecryptionException e)
        {
            Assert.Contains("padding is invalid", Assert.Single(e.Failures).Reason);
        }
    }

    [Fact]
    public void Decrypt_EveryTruncation_ThrowsCryptographicException()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "truncate me"u8, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes256Gcm);

        for (int length = 0; length < encoded.Length; length++)
        {
            byte[] truncated = encoded[..length];
            Assert.ThrowsAny<CryptographicException>(
                () => EnvelopedContent.Decrypt(truncated, [Alice]));
        }
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc)]
    public void Decrypt_EveryByteFlipped_ThrowsOnlyCryptographicException(
        ContentEncryptionAlgorithm algorithm)
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "flip me"u8,
            [new CmsRecipient(Alice, KeyTransportPadding.OaepSha256)],
            algorithm);

        for (int i = 0; i < encoded.Length; i++)
        {
            foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                byte[] flipped = (byte[])encoded.Clone();
                flipped[i] ^= mask;
                try
                {
                    EnvelopedContent.Decrypt(flipped, [Alice]);
                }
                catch (CryptographicException)
                {
                }
            }
        }
    }

    [Fact]
    public void Decrypt_AbsurdOuterLength_ThrowsCryptographicException()
    {
        byte[] encoded = [0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x06, 0x09];

        Assert.ThrowsAny<CryptographicException>(() => EnvelopedContent.Decrypt(encoded, [Alice]));
    }

    [Fact]
    public void Decrypt_AbsurdEncryptedContentLength_ThrowsCryptographicException()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            RandomNumberGenerator.GetBytes(200),
            [new CmsRecipient(Alice)],
            ContentEncryptionAlgorithm.Aes256Cbc);

        // The encryptedContent header is 80 81 D0 (208 bytes) before the last 208 bytes.
        int header = encoded.Length - 208 - 3;
        Assert.Equal([0x80, 0x81, 0xD0], encoded[header..(header + 3)]);
        encoded[header + 1] = 0x84;
        encoded[header + 2] = 0x7F;

        Assert.ThrowsAny<CryptographicException>(() => EnvelopedContent.Decrypt(encoded, [Alice]));
    }

    [Theory]
    [InlineData(0x30)]
    [InlineData(0xA0)]
    public void Decrypt_DeepIndefiniteNesting_ThrowsCryptographicException(byte tag)
    {
        // ContentInfo { envelopedData, [0] { 100000 nested indefinite-length values } }.
        const int depth = 100_000;
        var stream = new MemoryStream();
        stream.Write([0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07,
            0x03, 0xA0, 0x80]);
        for (int i = 0; i < depth; i++)
        {
            stream.Write([tag, 0x80]);
        }

        for (int i = 0; i < depth + 2; i++)
        {
            stream.Write([0x00, 0x00]);
        }

        Assert.ThrowsAny<CryptographicException>(
            () => EnvelopedContent.Decrypt(stream.ToArray(), [Alice]));
    }

    [Fact]
    public void Decrypt_DeepConstructedEncryptedContent_ThrowsCryptographicException()
    {
        // A constructed [0] encryptedContent holding OCTET STRINGs nested 100000 deep.
        byte[] good = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes128Cbc);
        AsnReader body = ReadBody(good, Oids.EnvelopedData);
        body.ReadInteger();
        byte[] recipientInfos = body.ReadEncodedValue().ToArray();

        var nested = new MemoryStream();
        nested.Write([0xA0, 0x80]);
        for (int i = 0; i < 100_000; i++)
        {
            nested.Write([0x24, 0x80]);
        }

        nested.Write([0x04, 0x10]);
        nested.Write(new byte[16]);
        for (int i = 0; i < 100_001; i++)
        {
            nested.Write([0x00, 0x00]);
        }

        var writer = new AsnWriter(AsnEncodingRules.BER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            writer.WriteEncodedValue(recipientInfos);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids.Data);
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(Oids.Aes128Cbc);
                    writer.WriteOctetString(new byte[16]);
                }

                writer.WriteEncodedValue(nested.ToArray());
            }
        }

        byte[] encoded = WrapContentInfo(Oids.EnvelopedData, writer.Encode());

        Assert.ThrowsAny<CryptographicException>(() => EnvelopedContent.Decrypt(encoded, [Alice]));
    }

    [Fact]
    public void Decrypt_NotEnvelopedContent_ThrowsCryptographicException()
    {
        byte[] encoded = WrapContentInfo(Oids.SignedData, [0x30, 0x00]);

        var e = Assert.ThrowsAny<CryptographicException>(
            () => EnvelopedContent.Decrypt(encoded, [Alice]));

        Assert.Contains(Oids.SignedData, e.Message);
    }

    [Fact]
    public void Decrypt_UnknownContentCipher_ThrowsCryptographicExceptionNamingTheOid()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes128Cbc);
        byte[] oid = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02];
        int at = encoded.AsSpan().IndexOf(oid);
        encoded[at + oid.Length - 1] = 0x7F;

        var e = Assert.ThrowsAny<CryptographicException>(
            () => EnvelopedContent.Decrypt(encoded, [Alice]));

        Assert.Contains("2.16.840.1.101.3.4.1.127", e.Message);
        Assert.IsType<NotSupportedException>(e.InnerException);
    }

    [Fact]
    public void Decrypt_AuthAttributesUnchanged_Opens()
    {
        byte[] content = RandomNumberGenerator.GetBytes(300);

        byte[] encoded = BuildWithAuthAttributes(content, tamper: false);

        Assert.Equal(content, EnvelopedContent.Decrypt(encoded, [Alice]).Content);
    }

    [Fact]
    public void Decrypt_AuthAttributesAltered_RefusedByTheTag()
    {
        // RFC 5083 §2.2: authAttrs are GCM's additional data, so altering one breaks the tag.
        byte[] encoded = BuildWithAuthAttributes(RandomNumberGenerator.GetBytes(300), tamper: true);

        var e = Assert.Throws<CmsDecryptionException>(
            () => EnvelopedContent.Decrypt(encoded, [Alice]));

        Assert.Contains("tag does not match", Assert.Single(e.Failures).Reason);
    }

    /// <summary>
    /// An AuthEnvelopedData made by hand with AesGcm and RSA, carrying authAttrs (content
    /// type and signing time): Encrypt writes none for id-data, other clients may.
    /// </summary>
    private static byte[] BuildWithAuthAttributes(byte[] content, bool tamper)
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        using RSA rsa = Alice.GetRSAPublicKey()!;
        byte[] wrapped = rsa.Encrypt(key, RSAEncryptionPadding.Pkcs1);

        var attributes = new AsnWriter(AsnEncodingRules.DER);
        using (attributes.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 1)))
        {
            using (attributes.PushSequence())
            {
                attributes.WriteObjectIdentifier(Oids.ContentTypeAttribute);
                using (attributes.PushSetOf())
                {
                    attributes.WriteObjectIdentifier(Oids.Data);
                }
            }

            // signingTime sorts last in the DER SET OF: the tampered byte is its final 'Z'.
            using (attributes.PushSequence())
            {
                attributes.WriteObjectIdentifier(Oids.SigningTimeAttribute);
                using (attributes.PushSetOf())
                {
                    attributes.WriteUtcTime(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
                }
            }
        }

        byte[] authAttrs = attributes.Encode();
        byte[] aad = (byte[])authAttrs.Clone();
        aad[0] = 0x31;
        var ciphertext = new byte[content.Length];
        var tag = new byte[16];
        using (var gcm = new AesGcm(key, 16))
        {
            gcm.Encrypt(nonce, content, ciphertext, tag, aad);
        }

        if (tamper)
        {
            authAttrs[^1] ^= 0x01;
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSetOf())
            {
                using (writer.PushSequence())
                {
                    writer.WriteInteger(0);
                    using (writer.PushSequence())
                    {
                        writer.WriteEncodedValue(Alice.IssuerName.RawData);
                        writer.WriteInteger(Alice.SerialNumberBytes.Span);
                    }

                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(Oids.Rsa);
                        writer.WriteNull();
                    }

                    writer.WriteOctetString(wrapped);
                }
            }

            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids.Data);
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(Oids.Aes256Gcm);
                    using (writer.PushSequence())
                    {
                        writer.WriteOctetString(nonce);
                        writer.WriteInteger(16);
                    }
                }

                writer.WriteOctetString(ciphertext, new Asn1Tag(TagClass.ContextSpecific, 0));
            }

            writer.WriteEncodedValue(authAttrs);
            writer.WriteOctetString(tag);
        }

        return WrapContentInfo(Oids.AuthEnvelopedData, writer.Encode());
    }

    internal static AsnReader ReadBody(byte[] encoded, string expectedType)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.DER);
        AsnReader contentInfo = reader.ReadSequence();
        Assert.False(reader.HasData);
        Assert.Equal(expectedType, contentInfo.ReadObjectIdentifier());
        AsnReader explicitContent = contentInfo.ReadSequence(
            new Asn1Tag(TagClass.ContextSpecific, 0));
        return explicitContent.ReadSequence();
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

    private static X509Certificate2 ForgeKey(X509Certificate2 certificate, RSA key)
    {
        // CopyWithPrivateKey checks the key fits the certificate; a certificate with the same
        // issuer and serial but another key stands in for "the wrong key under the right name".
        var request = new CertificateRequest(
            certificate.SubjectName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 issued = request.Create(
            TestPki.Shared.Root,
            certificate.NotBefore,
            certificate.NotAfter,
            certificate.SerialNumberBytes.Span);
        return issued.CopyWithPrivateKey(key);
    }
}
