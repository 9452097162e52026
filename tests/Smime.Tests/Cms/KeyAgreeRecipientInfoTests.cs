using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Cms.Asn;
using Smime.Tests.Support;

namespace Smime.Tests.Cms;

/// <summary>
/// Key agreement recipients (RFC 5652 §6.2.2): ECDH on P-256/384/521 (RFC 5753), X25519 and
/// X448 (RFC 8418), beside RSA key transport, under every content cipher.
/// </summary>
public sealed class KeyAgreeRecipientInfoTests
{
    private static readonly Lazy<CertificateKey> s_x25519 =
        new(() => CurveCertificates.Issue(TestPki.Shared, "xavier@example.com"));

    private static readonly Lazy<CertificateKey> s_x448 = new(() =>
        CurveCertificates.Issue(TestPki.Shared, "xena@example.com", CurveCertificates.X448));

    public static TheoryData<string, ContentEncryptionAlgorithm, SignerIdentifierType>
        EveryKindCipherAndIdentifier()
    {
        var data = new TheoryData<string, ContentEncryptionAlgorithm, SignerIdentifierType>();
        foreach (string kind in new[] { "Rsa", "EcP256", "EcP384", "EcP521", "X25519", "X448" })
        {
            foreach (var algorithm in Enum.GetValues<ContentEncryptionAlgorithm>())
            {
                if (algorithm == ContentEncryptionAlgorithm.TripleDesCbc)
                {
                    continue;
                }

                foreach (SignerIdentifierType id in Enum.GetValues<SignerIdentifierType>())
                {
                    data.Add(kind, algorithm, id);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindCipherAndIdentifier))]
    public void Encrypt_EveryRecipientKindCipherAndIdentifier_RoundTrips(
        string kind,
        ContentEncryptionAlgorithm algorithm,
        SignerIdentifierType identifierType)
    {
        (X509Certificate2 certificate, CertificateKey? rawKey) = Recipient(kind);
        byte[] content = RandomNumberGenerator.GetBytes(777);

        byte[] encoded = EnvelopedContent.Encrypt(
            content,
            [new CmsRecipient(certificate, identifierType: identifierType)],
            algorithm);
        DecryptedContent result = Decrypt(encoded, certificate, rawKey);

        Assert.Equal(content, result.Content);
        Assert.Equal(algorithm, result.Algorithm);
        Assert.Same(certificate, result.Recipient);
        Assert.Empty(result.Failures);
        RecipientInfoAsn info = Assert.Single(EnvelopedDataAsn.Decode(encoded).RecipientInfos);
        Assert.Equal(
            kind == "Rsa" ? RecipientInfoKind.KeyTransport : RecipientInfoKind.KeyAgreement,
            info.Kind);
    }

    [Theory]
    [InlineData(TestKeyType.EcP256, Oids.EcdhStdSha256Kdf, 65)]
    [InlineData(TestKeyType.EcP384, Oids.EcdhStdSha384Kdf, 97)]
    [InlineData(TestKeyType.EcP521, Oids.EcdhStdSha512Kdf, 133)]
    public void Encrypt_EcCurve_WritesKdfHashOfTheCurveAndUncompressedPoint(
        TestKeyType keyType,
        string scheme,
        int pointLength)
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8,
            [new CmsRecipient(CmsTestCertificates.Signer(keyType))],
            ContentEncryptionAlgorithm.Aes128Cbc);

        EnvelopedDataAsn data = EnvelopedDataAsn.Decode(encoded);
        KeyAgreeRecipientInfo kari = Assert.Single(data.RecipientInfos).KeyAgree!;

        Assert.Equal(Oids.EcPublicKey, kari.OriginatorAlgorithm!.Value.Oid);
        Assert.Null(kari.OriginatorAlgorithm.Value.Parameters);
        Assert.Equal(pointLength, kari.OriginatorPublicKey.Length);
        Assert.Equal(0x04, kari.OriginatorPublicKey.Span[0]);
        Assert.Null(kari.Ukm);
        Assert.Equal(scheme, kari.KeyEncryptionAlgorithm.Oid);

        // The parameters are id-aes128-wrap with absent parameters, matching AES-128-CBC.
        Assert.Equal(
            "300B060960864801650304010" + "5",
            Convert.ToHexString(kari.KeyEncryptionAlgorithm.Parameters!.Value.Span));

        // RFC 3394: a 16-byte key wraps into 24 bytes.
        Assert.Equal(24, Assert.Single(kari.RecipientEncryptedKeys).EncryptedKey.Length);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes128Gcm, Oids.Aes128Wrap)]
    [InlineData(ContentEncryptionAlgorithm.Aes192Cbc, Oids.Aes192Wrap)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, Oids.Aes256Wrap)]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305, Oids.Aes256Wrap)]
    public void Encrypt_ContentCipher_WrapSizeMatchesIt(
        ContentEncryptionAlgorithm algorithm,
        string wrapOid)
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(s_x25519.Value.Certificate)], algorithm);

        KeyAgreeRecipientInfo kari =
            Assert.Single(EnvelopedDataAsn.Decode(encoded).RecipientInfos).KeyAgree!;
        var reader = new System.Formats.Asn1.AsnReader(
            kari.KeyEncryptionAlgorithm.Parameters!.Value,
            System.Formats.Asn1.AsnEncodingRules.DER);

        Assert.Equal(wrapOid, AlgorithmIdentifierAsn.Read(reader, "wrap").Oid);
    }

    [Theory]
    [InlineData(CurveCertificates.X25519, Oids.EcdhHkdfSha256, 32)]
    [InlineData(CurveCertificates.X448, Oids.EcdhHkdfSha512, 56)]
    public void Encrypt_MontgomeryKey_WritesHkdfSchemeAndRawOriginatorKey(
        string keyOid,
        string scheme,
        int keyLength)
    {
        CertificateKey key = keyOid == CurveCertificates.X448 ? s_x448.Value : s_x25519.Value;

        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(key.Certificate)], ContentEncryptionAlgorithm.Aes256Gcm);

        EnvelopedDataAsn data = EnvelopedDataAsn.Decode(encoded);
        KeyAgreeRecipientInfo kari = Assert.Single(data.RecipientInfos).KeyAgree!;
        Assert.Equal(keyOid, kari.OriginatorAlgorithm!.Value.Oid);
        Assert.Null(kari.OriginatorAlgorithm.Value.Parameters);
        Assert.Equal(keyLength, kari.OriginatorPublicKey.Length);
        Assert.Equal(scheme, kari.KeyEncryptionAlgorithm.Oid);
    }

    [Fact]
    public void Encrypt_CbcWithKari_WritesEnvelopedDataVersion2()
    {
        // RFC 5652 §6.1: a RecipientInfo of version 3 (kari) makes EnvelopedData version 2.
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8,
            [new CmsRecipient(CmsTestCertificates.Signer(TestKeyType.EcP256))],
            ContentEncryptionAlgorithm.Aes256Cbc);

        // ContentInfo SEQ, OID, [0], EnvelopedData SEQ, then INTEGER 2.
        var reader = new System.Formats.Asn1.AsnReader(
            encoded, System.Formats.Asn1.AsnEncodingRules.DER);
        var body = reader.ReadSequence();
        body.ReadObjectIdentifier();
        var enveloped = body.ReadSequence(
            new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0))
            .ReadSequence();

        Assert.Equal(2, (int)enveloped.ReadInteger());
    }

    [Fact]
    public void Encrypt_MixedRecipients_EveryKeyOpensItsOwn()
    {
        X509Certificate2 rsa = CmsTestCertificates.Signer(TestKeyType.Rsa2048);
        X509Certificate2 p256 = CmsTestCertificates.Signer(TestKeyType.EcP256);
        X509Certificate2 p384 = CmsTestCertificates.Signer(TestKeyType.EcP384);
        byte[] content = RandomNumberGenerator.GetBytes(2048);

        byte[] encoded = EnvelopedContent.Encrypt(
            content,
            [
                new CmsRecipient(rsa, KeyTransportPadding.OaepSha256),
                new CmsRecipient(p256),
                new CmsRecipient(p384, identifierType: SignerIdentifierType.SubjectKeyIdentifier),
                new CmsRecipient(s_x25519.Value.Certificate),
                new CmsRecipient(s_x448.Value.Certificate),
            ],
            ContentEncryptionAlgorithm.ChaCha20Poly1305);

        Assert.Equal(content, EnvelopedContent.Decrypt(encoded, [rsa]).Content);
        Assert.Equal(content, EnvelopedContent.Decrypt(encoded, [p256]).Content);
        Assert.Equal(content, EnvelopedContent.Decrypt(encoded, [p384]).Content);
        Assert.Equal(content, EnvelopedContent.Decrypt(encoded, [], [s_x25519.Value]).Content);
        DecryptedContent last = EnvelopedContent.Decrypt(encoded, [], [s_x448.Value]);
        Assert.Equal(content, last.Content);
        Assert.Same(s_x448.Value.Certificate, last.Recipient);
        Assert.Equal(
            [
                RecipientInfoKind.KeyTransport, RecipientInfoKind.KeyAgreement,
                RecipientInfoKind.KeyAgreement, RecipientInfoKind.KeyAgreement,
                RecipientInfoKind.KeyAgreement,
            ],
            EnvelopedDataAsn.Decode(encoded).RecipientInfos.Select(r => r.Kind));
        Assert.Equal(5, EnvelopedContent.Describe(encoded).Recipients.Count);
    }

    [Fact]
    public void Decrypt_EcKeyAsPkcs8CertificateKey_Opens()
    {
        X509Certificate2 p256 = CmsTestCertificates.Signer(TestKeyType.EcP256);
        using ECDsa ecdsa = p256.GetECDsaPrivateKey()!;
        using var publicOnly = X509CertificateLoader.LoadCertificate(p256.RawData);
        using var key = new CertificateKey(publicOnly, ecdsa.ExportPkcs8PrivateKey());
        byte[] encoded = EnvelopedContent.Encrypt(
            "kept apart"u8, [new CmsRecipient(p256)], ContentEncryptionAlgorithm.Aes256Gcm);

        DecryptedContent result = EnvelopedContent.Decrypt(encoded, [], [key]);

        Assert.Equal("kept apart"u8.ToArray(), result.Content);
    }

    [Theory]
    [InlineData("EcP256")]
    [InlineData("X25519")]
    public void Decrypt_UkmPresent_OpensAndReadsIt(string kind)
    {
        (X509Certificate2 certificate, CertificateKey? rawKey) = Recipient(kind);
        byte[] ukm = RandomNumberGenerator.GetBytes(64);
        byte[] encoded = EnvelopedContent.Encrypt(
            "with ukm"u8,
            [new CmsRecipient(certificate) { UserKeyingMaterial = ukm }],
            ContentEncryptionAlgorithm.Aes256Gcm);

        DecryptedContent result = Decrypt(encoded, certificate, rawKey);

        Assert.Equal("with ukm"u8.ToArray(), result.Content);
        KeyAgreeRecipientInfo kari =
            Assert.Single(EnvelopedDataAsn.Decode(encoded).RecipientInfos).KeyAgree!;
        Assert.Equal(ukm, kari.Ukm!.Value.ToArray());
    }

    [Theory]
    [InlineData("EcP384")]
    [InlineData("X25519")]
    public void Decrypt_UkmAltered_KeyCannotBeUnwrapped(string kind)
    {
        // The ukm is entityUInfo of the SharedInfo (RFC 5753 §7.2): another one gives another
        // key-encryption key, which the RFC 3394 check refuses.
        (X509Certificate2 certificate, CertificateKey? rawKey) = Recipient(kind);
        byte[] ukm = Enumerable.Repeat((byte)0x5A, 32).ToArray();
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8,
            [new CmsRecipient(certificate) { UserKeyingMaterial = ukm }],
            ContentEncryptionAlgorithm.Aes256Gcm);
        byte[] altered = ukm.ToArray();
        altered[31] = 0x5B;
        byte[] tampered = CmsTestCertificates.ReplaceOnce(encoded, ukm, altered);

        var e = Assert.Throws<CmsDecryptionException>(
            () => Decrypt(tampered, certificate, rawKey));

        Assert.Contains("could not be unwrapped", Assert.Single(e.Failures).Reason);
    }

    [Fact]
    public void Decrypt_EncryptedKeyAltered_KeyCannotBeUnwrapped()
    {
        X509Certificate2 p256 = CmsTestCertificates.Signer(TestKeyType.EcP256);
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(p256)], ContentEncryptionAlgorithm.Aes256Gcm);
        byte[] wrapped = Assert.Single(EnvelopedDataAsn.Decode(encoded).RecipientInfos)
            .KeyAgree!.RecipientEncryptedKeys[0].EncryptedKey.ToArray();
        byte[] altered = wrapped.ToArray();
        altered[^1] ^= 0x01;

        var e = Assert.Throws<CmsDecryptionException>(() => EnvelopedContent.Decrypt(
            CmsTestCertificates.ReplaceOnce(encoded, wrapped, altered), [p256]));

        Assert.Equal(
            "The key could not be unwrapped (wrong key or altered data).",
            Assert.Single(e.Failures).Reason);
    }

    [Fact]
    public void Decrypt_OriginatorPointOffTheCurve_Refused()
    {
        X509Certificate2 p256 = CmsTestCertificates.Signer(TestKeyType.EcP256);
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(p256)], ContentEncryptionAlgorithm.Aes256Gcm);
        byte[] point = Assert.Single(EnvelopedDataAsn.Decode(encoded).RecipientInfos)
            .KeyAgree!.OriginatorPublicKey.ToArray();
        byte[] offCurve = point.ToArray();
        offCurve[^1] ^= 0x01;

        var e = Assert.Throws<CmsDecryptionException>(() => EnvelopedContent.Decrypt(
            CmsTestCertificates.ReplaceOnce(encoded, point, offCurve), [p256]));

        Assert.Equal(
            "The originator's EC public key is not a point of the recipient's curve.",
            Assert.Single(e.Failures).Reason);
    }

    [Fact]
    public void Decrypt_X25519OriginatorOfSmallOrder_Refused()
    {
        // u = 0 is of small order: the shared secret is all zeros (RFC 7748 §6.1).
        CertificateKey key = s_x25519.Value;
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(key.Certificate)], ContentEncryptionAlgorithm.Aes256Gcm);
        byte[] point = Assert.Single(EnvelopedDataAsn.Decode(encoded).RecipientInfos)
            .KeyAgree!.OriginatorPublicKey.ToArray();

        var e = Assert.Throws<CmsDecryptionException>(() => EnvelopedContent.Decrypt(
            CmsTestCertificates.ReplaceOnce(encoded, point, new byte[32]), [], [key]));

        Assert.Contains("all-zero shared secret", Assert.Single(e.Failures).Reason);
    }

    [Fact]
    public void Decrypt_X25519CertificateWithoutRawKey_AsksForCertificateKey()
    {
        CertificateKey key = s_x25519.Value;
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(key.Certificate)], ContentEncryptionAlgorithm.Aes256Gcm);

        var e = Assert.Throws<CmsDecryptionException>(
            () => EnvelopedContent.Decrypt(encoded, [key.Certificate]));

        Assert.Contains("give it as a CertificateKey", Assert.Single(e.Failures).Reason);
    }

    [Fact]
    public void Decrypt_EcKeyOfAnotherRecipient_NamesTheRecipients()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8,
            [new CmsRecipient(CmsTestCertificates.Signer(TestKeyType.EcP256))],
            ContentEncryptionAlgorithm.Aes256Gcm);

        var e = Assert.Throws<CmsDecryptionException>(() => EnvelopedContent.Decrypt(
            encoded, [CmsTestCertificates.Signer(TestKeyType.EcP384)]));

        Assert.StartsWith("None of the keys given is for this message", e.Message);
        Assert.Contains(CmsTestCertificates.Signer(TestKeyType.EcP256).SerialNumber, e.Message);
    }

    [Theory]
    [InlineData("EcP256", ContentEncryptionAlgorithm.ChaCha20Poly1305)]
    [InlineData("EcP256", ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData("X25519", ContentEncryptionAlgorithm.ChaCha20Poly1305)]
    [InlineData("X25519", ContentEncryptionAlgorithm.Aes128Gcm)]
    public void Decrypt_AnyByteFlipped_RefusedOrOnlyUnprotectedNameChanged(
        string kind,
        ContentEncryptionAlgorithm algorithm)
    {
        (X509Certificate2 certificate, CertificateKey? rawKey) = Recipient(kind);
        byte[] content = "every byte counts"u8.ToArray();
        byte[] encoded = EnvelopedContent.Encrypt(
            content, [new CmsRecipient(certificate)], algorithm);

        // The issuer Name in the rid is matched by its parsed form too, and is not covered by
        // the AEAD: a flip there that still names the certificate may open. Nothing else may.
        byte[] issuer = certificate.IssuerName.RawData;
        int issuerAt = encoded.AsSpan().IndexOf(issuer);
        Assert.True(issuerAt > 0);
        int refused = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            byte[] flipped = (byte[])encoded.Clone();
            flipped[i] ^= 0x01;
            try
            {
                DecryptedContent result = Decrypt(flipped, certificate, rawKey);
                Assert.Equal(content, result.Content);
                Assert.InRange(i, issuerAt, issuerAt + issuer.Length - 1);
            }
            catch (CryptographicException)
            {
                refused++;
            }
        }

        Assert.True(refused > encoded.Length - issuer.Length);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305, 1)]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305, 16)]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305, 19)]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305, 40)]
    public void Decrypt_ChaChaCiphertextOrTagFlipped_RefusedNamingChaCha(
        ContentEncryptionAlgorithm algorithm,
        int fromEnd)
    {
        // The mac (04 10 + 16 bytes) ends the message: 1..16 from the end are the tag.
        X509Certificate2 rsa = CmsTestCertificates.Signer(TestKeyType.Rsa2048);
        byte[] encoded = EnvelopedContent.Encrypt(
            RandomNumberGenerator.GetBytes(100), [new CmsRecipient(rsa)], algorithm);
        encoded[^fromEnd] ^= 0x01;

        var e = Assert.Throws<CmsDecryptionException>(
            () => EnvelopedContent.Decrypt(encoded, [rsa]));

        Assert.Equal(
            "The content failed its ChaCha20-Poly1305 authentication: the tag does not match " +
            "(wrong key or altered content).",
            Assert.Single(e.Failures).Reason);
    }

    [Fact]
    public void Encrypt_ChaCha_WritesTwelveByteNonceAndSixteenByteMac()
    {
        X509Certificate2 rsa = CmsTestCertificates.Signer(TestKeyType.Rsa2048);

        byte[] encoded = EnvelopedContent.Encrypt(
            "chacha"u8, [new CmsRecipient(rsa)], ContentEncryptionAlgorithm.ChaCha20Poly1305);

        EnvelopedDataAsn data = EnvelopedDataAsn.Decode(encoded);
        Assert.True(data.IsAuthenticated);
        Assert.Equal(Oids.ChaCha20Poly1305, data.ContentEncryptionAlgorithm.Oid);
        ReadOnlySpan<byte> parameters = data.ContentEncryptionAlgorithm.Parameters!.Value.Span;
        Assert.Equal([0x04, 0x0C], parameters[..2].ToArray());
        Assert.Equal(14, parameters.Length);
        Assert.Equal(16, data.Mac.Length);
        Assert.Equal(6, data.EncryptedContent.Length);
    }

    [Fact]
    public void Decrypt_ChaChaNonceLengthAltered_ThrowsCryptographicException()
    {
        X509Certificate2 rsa = CmsTestCertificates.Signer(TestKeyType.Rsa2048);
        byte[] encoded = EnvelopedContent.Encrypt(
            "chacha"u8, [new CmsRecipient(rsa)], ContentEncryptionAlgorithm.ChaCha20Poly1305);
        byte[] parameters =
            EnvelopedDataAsn.Decode(encoded).ContentEncryptionAlgorithm.Parameters!.Value.ToArray();
        byte[] shorter = parameters.ToArray();
        shorter[1] = 0x0B;

        // The length byte now says 11, one byte too few for the SEQUENCE around it.
        Assert.ThrowsAny<CryptographicException>(() => EnvelopedContent.Decrypt(
            CmsTestCertificates.ReplaceOnce(encoded, parameters, shorter), [rsa]));
    }

    [Theory]
    [InlineData("EcP521")]
    [InlineData("X448")]
    public void Decrypt_EveryTruncation_ThrowsCryptographicException(string kind)
    {
        (X509Certificate2 certificate, CertificateKey? rawKey) = Recipient(kind);
        byte[] encoded = EnvelopedContent.Encrypt(
            "truncate me"u8, [new CmsRecipient(certificate)], ContentEncryptionAlgorithm.Aes256Gcm);

        for (int length = 0; length < encoded.Length; length++)
        {
            byte[] truncated = encoded[..length];
            Assert.ThrowsAny<CryptographicException>(
                () => Decrypt(truncated, certificate, rawKey));
        }
    }

    internal static (X509Certificate2 Certificate, CertificateKey? RawKey) Recipient(string kind) =>
        kind switch
        {
            "Rsa" => (CmsTestCertificates.Signer(TestKeyType.Rsa2048), null),
            "EcP256" => (CmsTestCertificates.Signer(TestKeyType.EcP256), null),
            "EcP384" => (CmsTestCertificates.Signer(TestKeyType.EcP384), null),
            "EcP521" => (CmsTestCertificates.Signer(TestKeyType.EcP521), null),
            "X25519" => (s_x25519.Value.Certificate, s_x25519.Value),
            "X448" => (s_x448.Value.Certificate, s_x448.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

    internal static CertificateKey X25519Key => s_x25519.Value;

    internal static CertificateKey X448Key => s_x448.Value;

    private static DecryptedContent Decrypt(
        byte[] encoded,
        X509Certificate2 certificate,
        CertificateKey? rawKey) => rawKey is null
        ? EnvelopedContent.Decrypt(encoded, [certificate])
        : EnvelopedContent.Decrypt(encoded, [], [rawKey]);
}
