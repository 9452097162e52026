using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Cms.Asn;
using Smime.Tests.Support;

namespace Smime.Tests.Cms;

/// <summary>
/// Key agreement against peers. ECDH: openssl cms (3.0) both ways, and BouncyCastle's own
/// CmsEnvelopedDataGenerator towards us. X25519, X448 and ChaCha20-Poly1305, which OpenSSL 3.0
/// CMS does not do: <see cref="BouncyCastleCmsPeer"/> stands in, both ways (BouncyCastle's
/// ASN.1 classes and primitives, none of our code). RFC 8418 and RFC 8103 publish no example
/// messages to test against.
/// </summary>
public sealed class KeyAgreementInteropTests
{
    public static TheoryData<TestKeyType, string, SignerIdentifierType> EcEncryptCases()
    {
        var data = new TheoryData<TestKeyType, string, SignerIdentifierType>();
        foreach (TestKeyType curve in new[]
            { TestKeyType.EcP256, TestKeyType.EcP384, TestKeyType.EcP521 })
        {
            foreach (string cipher in new[] { "Aes128Gcm", "Aes256Gcm", "Aes192Cbc", "Aes256Cbc" })
            {
                foreach (SignerIdentifierType id in Enum.GetValues<SignerIdentifierType>())
                {
                    data.Add(curve, cipher, id);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EcEncryptCases))]
    public void Encrypt_EcRecipient_OpenSslDecryptsExactContent(
        TestKeyType curve,
        string cipher,
        SignerIdentifierType identifierType)
    {
        using var dir = new TempDir();
        X509Certificate2 recipient = CmsTestCertificates.Signer(curve);
        TestPki.WritePem(recipient, dir.File("ec.pem"), dir.File("ec.key"));
        byte[] content = RandomNumberGenerator.GetBytes(3000);
        byte[] encoded = EnvelopedContent.Encrypt(
            content,
            [new CmsRecipient(recipient, identifierType: identifierType)],
            Enum.Parse<ContentEncryptionAlgorithm>(cipher));
        File.WriteAllBytes(dir.File("enc.der"), encoded);

        // Peer.OpenSsl fails on a non-zero exit: openssl writes GCM plaintext before checking.
        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-inform", "DER", "-in", "enc.der",
            "-recip", "ec.pem", "-inkey", "ec.key", "-binary", "-out", "plain.bin");

        Assert.Equal(content, File.ReadAllBytes(dir.File("plain.bin")));
    }

    [Theory]
    [InlineData(TestKeyType.EcP256, "-aes-256-gcm", ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData(TestKeyType.EcP256, "-aes256", ContentEncryptionAlgorithm.Aes256Cbc)]
    [InlineData(TestKeyType.EcP384, "-aes-256-gcm", ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData(TestKeyType.EcP384, "-aes256", ContentEncryptionAlgorithm.Aes256Cbc)]
    [InlineData(TestKeyType.EcP384, "-aes-128-gcm", ContentEncryptionAlgorithm.Aes128Gcm)]
    [InlineData(TestKeyType.EcP521, "-aes128", ContentEncryptionAlgorithm.Aes128Cbc)]
    public void Decrypt_OpenSslEcdhEveryKdf_ExactContent(
        TestKeyType curve,
        string cipher,
        ContentEncryptionAlgorithm expected)
    {
        // openssl's default KDF is SHA-1 (dhSinglePass-stdDH-sha1kdf-scheme); the others
        // are asked for with -keyopt, the cofactor variant too.
        foreach ((string[] options, string scheme) in new (string[], string)[]
        {
            ([], Oids.EcdhStdSha1Kdf),
            (["-keyopt", "ecdh_kdf_md:sha256"], Oids.EcdhStdSha256Kdf),
            (["-keyopt", "ecdh_kdf_md:sha384"], Oids.EcdhStdSha384Kdf),
            (["-keyopt", "ecdh_kdf_md:sha512"], Oids.EcdhStdSha512Kdf),
            (["-keyopt", "ecdh_cofactor_mode:1"], Oids.EcdhCofactorSha1Kdf),
            (["-keyopt", "ecdh_cofactor_mode:1", "-keyopt", "ecdh_kdf_md:sha256"],
                Oids.EcdhCofactorSha256Kdf),
        })
        {
            byte[] encoded = OpenSslEncrypt(curve, [cipher], options, out byte[] content);
            DecryptedContent result =
                EnvelopedContent.Decrypt(encoded, [CmsTestCertificates.Signer(curve)]);

            Assert.Equal(content, result.Content);
            Assert.Equal(expected, result.Algorithm);
            KeyAgreeRecipientInfo kari =
                Assert.Single(EnvelopedDataAsn.Decode(encoded).RecipientInfos).KeyAgree!;
            Assert.Equal(scheme, kari.KeyEncryptionAlgorithm.Oid);
        }
    }

    [Fact]
    public void Decrypt_OpenSslEcdhKeyIdAndStreamed_ExactContent()
    {
        foreach (string[] options in new[] { new[] { "-keyid" }, ["-stream"] })
        {
            byte[] encoded = OpenSslEncrypt(
                TestKeyType.EcP256, ["-aes-256-gcm", .. options], [], out byte[] content, 70_000);

            DecryptedContent result = EnvelopedContent.Decrypt(
                encoded, [CmsTestCertificates.Signer(TestKeyType.EcP256)]);

            Assert.Equal(content, result.Content);
        }
    }

    [Fact]
    public void Decrypt_OpenSslEcdhWrongCurveKey_NoneOfTheKeys()
    {
        byte[] encoded = OpenSslEncrypt(TestKeyType.EcP256, ["-aes-256-gcm"], [], out _);

        var e = Assert.Throws<CmsDecryptionException>(() => EnvelopedContent.Decrypt(
            encoded, [CmsTestCertificates.Signer(TestKeyType.EcP384)]));

        Assert.StartsWith("None of the keys given is for this message", e.Message);
    }

    [Theory]
    [InlineData(TestKeyType.EcP256, "1.3.133.16.840.63.0.2")]
    [InlineData(TestKeyType.EcP384, "1.3.132.1.11.1")]
    [InlineData(TestKeyType.EcP521, "1.3.132.1.11.3")]
    public void Decrypt_BouncyCastleGeneratorEcdh_ExactContent(TestKeyType curve, string scheme)
    {
        // BouncyCastle (and MimeKit over it) put NULL parameters in the SharedInfo keyInfo
        // while the message has them absent: decryption takes the Compat path.
        X509Certificate2 recipient = CmsTestCertificates.Signer(curve);
        byte[] content = RandomNumberGenerator.GetBytes(1234);

        byte[] encoded = BouncyCastleCmsPeer.EncryptToEc(content, recipient, scheme);
        DecryptedContent result = EnvelopedContent.Decrypt(encoded, [recipient]);

        Assert.Equal(content, result.Content);
        Assert.Equal(ContentEncryptionAlgorithm.Aes256Cbc, result.Algorithm);
    }

    [Theory]
    [InlineData(CurveCertificates.X25519, BouncyCastleCmsPeer.ChaCha20Poly1305, false)]
    [InlineData(CurveCertificates.X25519, BouncyCastleCmsPeer.ChaCha20Poly1305, true)]
    [InlineData(CurveCertificates.X25519, BouncyCastleCmsPeer.Aes128Gcm, false)]
    [InlineData(CurveCertificates.X25519, BouncyCastleCmsPeer.Aes256Gcm, true)]
    [InlineData(CurveCertificates.X448, BouncyCastleCmsPeer.ChaCha20Poly1305, true)]
    [InlineData(CurveCertificates.X448, BouncyCastleCmsPeer.Aes256Gcm, false)]
    public void Decrypt_BouncyCastlePeerMontgomery_ExactContent(
        string keyOid,
        string cipherOid,
        bool withUkm)
    {
        CertificateKey key = keyOid == CurveCertificates.X448
            ? KeyAgreeRecipientInfoTests.X448Key
            : KeyAgreeRecipientInfoTests.X25519Key;
        byte[] content = RandomNumberGenerator.GetBytes(5000);

        byte[] encoded = BouncyCastleCmsPeer.EncryptToMontgomery(
            content,
            key.Certificate,
            cipherOid,
            withUkm ? RandomNumberGenerator.GetBytes(40) : null);
        DecryptedContent result = EnvelopedContent.Decrypt(encoded, [], [key]);

        Assert.Equal(content, result.Content);
        Assert.True(result.IsAuthenticated);
        Assert.Same(key.Certificate, result.Recipient);
    }

    [Theory]
    [InlineData(CurveCertificates.X25519, ContentEncryptionAlgorithm.ChaCha20Poly1305)]
    [InlineData(CurveCertificates.X25519, ContentEncryptionAlgorithm.Aes128Gcm)]
    [InlineData(CurveCertificates.X25519, ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData(CurveCertificates.X448, ContentEncryptionAlgorithm.ChaCha20Poly1305)]
    [InlineData(CurveCertificates.X448, ContentEncryptionAlgorithm.Aes256Gcm)]
    public void Encrypt_Montgomery_BouncyCastlePeerDecryptsExactContent(
        string keyOid,
        ContentEncryptionAlgorithm algorithm)
    {
        CertificateKey key = keyOid == CurveCertificates.X448
            ? KeyAgreeRecipientInfoTests.X448Key
            : KeyAgreeRecipientInfoTests.X25519Key;
        byte[] content = RandomNumberGenerator.GetBytes(5000);

        byte[] encoded = EnvelopedContent.Encrypt(
            content, [new CmsRecipient(key.Certificate)], algorithm);

        Assert.Equal(content, BouncyCastleCmsPeer.DecryptMontgomery(encoded, key));
    }

    [Fact]
    public void Encrypt_UkmForX25519_BouncyCastlePeerDecryptsExactContent()
    {
        CertificateKey key = KeyAgreeRecipientInfoTests.X25519Key;
        byte[] content = RandomNumberGenerator.GetBytes(100);

        byte[] encoded = EnvelopedContent.Encrypt(
            content,
            [new CmsRecipient(key.Certificate) { UserKeyingMaterial = new byte[] { 1, 2, 3 } }],
            ContentEncryptionAlgorithm.ChaCha20Poly1305);

        Assert.Equal(content, BouncyCastleCmsPeer.DecryptMontgomery(encoded, key));
    }

    [Fact]
    public void Encrypt_MixedRsaEcX25519_OpenSslOpensRsaAndEcPeerOpensX25519()
    {
        using var dir = new TempDir();
        X509Certificate2 rsa = CmsTestCertificates.Signer(TestKeyType.Rsa2048);
        X509Certificate2 ec = CmsTestCertificates.Signer(TestKeyType.EcP384);
        CertificateKey x25519 = KeyAgreeRecipientInfoTests.X25519Key;
        TestPki.WritePem(rsa, dir.File("rsa.pem"), dir.File("rsa.key"));
        TestPki.WritePem(ec, dir.File("ec.pem"), dir.File("ec.key"));
        byte[] content = RandomNumberGenerator.GetBytes(4000);
        byte[] encoded = EnvelopedContent.Encrypt(
            content,
            [new CmsRecipient(rsa), new CmsRecipient(ec), new CmsRecipient(x25519.Certificate)],
            ContentEncryptionAlgorithm.Aes256Gcm);
        File.WriteAllBytes(dir.File("enc.der"), encoded);

        foreach (string name in new[] { "rsa", "ec" })
        {
            Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-inform", "DER", "-in", "enc.der",
                "-recip", $"{name}.pem", "-inkey", $"{name}.key", "-binary",
                "-out", $"{name}.bin");
            Assert.Equal(content, File.ReadAllBytes(dir.File($"{name}.bin")));
        }

        // The peer opens the first kari it finds, the EC one; so X25519 gets a message alone.
        byte[] alone = EnvelopedContent.Encrypt(
            content, [new CmsRecipient(x25519.Certificate)], ContentEncryptionAlgorithm.Aes256Gcm);
        Assert.Equal(content, BouncyCastleCmsPeer.DecryptMontgomery(alone, x25519));
    }

    [Fact]
    public void X25519Certificate_OpenSslReadsItsKey()
    {
        using var dir = new TempDir();
        TestPki.WritePem(KeyAgreeRecipientInfoTests.X25519Key.Certificate, dir.File("x.pem"));

        Peer.Result result = Peer.OpenSsl(dir.Path, "x509", "-in", "x.pem", "-noout", "-text");

        Assert.Contains("Public Key Algorithm: X25519", result.StdOut);
    }

    private static byte[] OpenSslEncrypt(
        TestKeyType curve,
        string[] cipherOptions,
        string[] keyOptions,
        out byte[] content,
        int contentLength = 3000)
    {
        using var dir = new TempDir();
        TestPki.WritePem(CmsTestCertificates.Signer(curve), dir.File("ec.pem"));
        content = RandomNumberGenerator.GetBytes(contentLength);
        File.WriteAllBytes(dir.File("plain.bin"), content);
        Peer.OpenSsl(dir.Path,
        [
            "cms", "-encrypt", "-binary", "-outform", "DER", "-in", "plain.bin",
            "-out", "enc.der", .. cipherOptions, "-recip", "ec.pem", .. keyOptions,
        ]);
        return File.ReadAllBytes(dir.File("enc.der"));
    }
}
