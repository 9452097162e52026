using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Cms;

/// <summary>
/// EnvelopedData and AuthEnvelopedData against real peers: openssl cms (3.0) both ways, and
/// gpgsm (2.2) both ways for what it can do.
/// </summary>
public sealed class EnvelopedContentInteropTests
{
    private static readonly Lazy<X509Certificate2> s_alice =
        new(() => TestPki.Shared.Issue("alice@example.com"));

    private static readonly Lazy<X509Certificate2> s_carol =
        new(() => TestPki.Shared.Issue("carol@example.com", TestKeyType.EcP256));

    private static X509Certificate2 Alice => s_alice.Value;

    // OpenSSL 3.0 has no ChaCha20-Poly1305 in CMS; BouncyCastleCmsPeer stands in for it.
    public static TheoryData<ContentEncryptionAlgorithm, KeyTransportPadding, SignerIdentifierType>
        WritableCombinations()
    {
        var data = new TheoryData<
            ContentEncryptionAlgorithm, KeyTransportPadding, SignerIdentifierType>();
        foreach (var row in EnvelopedContentTests.AllCombinations())
        {
            var algorithm = (ContentEncryptionAlgorithm)row[0];
            if (algorithm != ContentEncryptionAlgorithm.ChaCha20Poly1305)
            {
                data.Add(algorithm, (KeyTransportPadding)row[1], (SignerIdentifierType)row[2]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WritableCombinations))]
    public void Encrypt_OpenSslDecrypts_ExactContent(
        ContentEncryptionAlgorithm algorithm,
        KeyTransportPadding padding,
        SignerIdentifierType identifierType)
    {
        using var dir = new TempDir();
        TestPki.WritePem(Alice, dir.File("alice.pem"), dir.File("alice.key"));
        byte[] content = RandomNumberGenerator.GetBytes(3000);
        byte[] encoded = EnvelopedContent.Encrypt(
            content, [new CmsRecipient(Alice, padding, identifierType)], algorithm);
        File.WriteAllBytes(dir.File("enc.der"), encoded);

        // Peer.OpenSsl fails on a non-zero exit: openssl writes GCM plaintext before checking.
        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-inform", "DER", "-in", "enc.der",
            "-recip", "alice.pem", "-inkey", "alice.key", "-binary", "-out", "plain.bin");

        Assert.Equal(content, File.ReadAllBytes(dir.File("plain.bin")));
    }

    [Theory]
    [InlineData("-aes-128-gcm", ContentEncryptionAlgorithm.Aes128Gcm)]
    [InlineData("-aes-192-gcm", ContentEncryptionAlgorithm.Aes192Gcm)]
    [InlineData("-aes-256-gcm", ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData("-aes128", ContentEncryptionAlgorithm.Aes128Cbc)]
    [InlineData("-aes192", ContentEncryptionAlgorithm.Aes192Cbc)]
    [InlineData("-aes256", ContentEncryptionAlgorithm.Aes256Cbc)]
    [InlineData("-des3", ContentEncryptionAlgorithm.TripleDesCbc)]
    public void Decrypt_OpenSslEveryCipher_ExactContent(
        string cipher,
        ContentEncryptionAlgorithm expected)
    {
        foreach (string[] keyOptions in new[]
        {
            Array.Empty<string>(),
            ["-keyopt", "rsa_padding_mode:oaep"],
            ["-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"],
        })
        {
            DecryptedContent result =
                DecryptOpenSslOutput([cipher], keyOptions, out byte[] content);

            Assert.Equal(content, result.Content);
            Assert.Equal(expected, result.Algorithm);
            Assert.Equal(cipher.EndsWith("-gcm"), result.IsAuthenticated);
        }
    }

    [Theory]
    [InlineData("sha384")]
    [InlineData("sha512")]
    public void Decrypt_OpenSslOaepLargerHashes_ExactContent(string hash)
    {
        DecryptedContent result = DecryptOpenSslOutput(
            ["-aes-256-gcm"],
            ["-keyopt", "rsa_padding_mode:oaep", "-keyopt", $"rsa_oaep_md:{hash}"],
            out byte[] content);

        Assert.Equal(content, result.Content);
    }

    [Fact]
    public void Decrypt_OpenSslKeyId_ExactContent()
    {
        DecryptedContent result =
            DecryptOpenSslOutput(["-aes256", "-keyid"], [], out byte[] content);

        Assert.Equal(content, result.Content);
    }

    [Theory]
    [InlineData("-aes-256-gcm")]
    [InlineData("-aes128")]
    public void Decrypt_OpenSslStreamedIndefiniteLength_ExactContent(string cipher)
    {
        // -stream writes indefinite lengths and a constructed encryptedContent (X.690 §8.7.3).
        DecryptedContent result = DecryptOpenSslOutput(
            [cipher, "-stream"], [], out byte[] content, contentLength: 100_000);

        Assert.Equal(content, result.Content);
    }

    [Fact]
    public void Decrypt_OpenSslEcAndRsaRecipients_EachKeyOpensItsOwn()
    {
        using var dir = new TempDir();
        TestPki.WritePem(Alice, dir.File("alice.pem"));
        TestPki.WritePem(s_carol.Value, dir.File("carol.pem"));
        byte[] content = RandomNumberGenerator.GetBytes(500);
        File.WriteAllBytes(dir.File("plain.bin"), content);
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-binary", "-outform", "DER",
            "-in", "plain.bin", "-out", "enc.der", "-aes-256-gcm", "carol.pem", "alice.pem");
        byte[] encoded = File.ReadAllBytes(dir.File("enc.der"));

        DecryptedContent byAlice = EnvelopedContent.Decrypt(encoded, [Alice]);
        DecryptedContent byCarol = EnvelopedContent.Decrypt(encoded, [s_carol.Value]);

        Assert.Equal(content, byAlice.Content);
        Assert.Equal(content, byCarol.Content);
        Assert.Same(s_carol.Value, byCarol.Recipient);
    }

    [Fact]
    public void Decrypt_OpenSslOutputWrongRecipient_RefusedNamingAlice()
    {
        using var dir = new TempDir();
        TestPki.WritePem(Alice, dir.File("alice.pem"));
        File.WriteAllBytes(dir.File("plain.bin"), "for alice only"u8.ToArray());
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", "-binary", "-outform", "DER",
            "-in", "plain.bin", "-out", "enc.der", "-aes-256-gcm", "alice.pem");
        using X509Certificate2 dave = TestPki.Shared.Issue("dave@example.com");

        var e = Assert.Throws<CmsDecryptionException>(() =>
            EnvelopedContent.Decrypt(File.ReadAllBytes(dir.File("enc.der")), [dave]));

        Assert.Contains($"serial {Alice.SerialNumber}", e.Message);
    }

    // gpgsm 2.2 has neither AES-GCM (AuthEnvelopedData) nor RSA-OAEP, so the gpgsm tests
    // cover EnvelopedData with AES-CBC and PKCS#1 v1.5 key transport only.
    [Fact]
    public void Decrypt_GpgsmEncryptedCbcPkcs1_ExactContent()
    {
        using var dir = new TempDir();
        using var gpgsm = new GpgsmHome(dir);
        gpgsm.ImportKey(Alice);
        byte[] content = RandomNumberGenerator.GetBytes(5000);
        File.WriteAllBytes(dir.File("plain.bin"), content);

        Peer.Result encrypt = gpgsm.Run(null, "--encrypt", "-r", "alice@example.com",
            "-o", dir.File("enc.der"), dir.File("plain.bin"));
        Assert.True(encrypt.ExitCode == 0, encrypt.StdErr);
        DecryptedContent result =
            EnvelopedContent.Decrypt(File.ReadAllBytes(dir.File("enc.der")), [Alice]);

        Assert.Equal(content, result.Content);
        Assert.False(result.IsAuthenticated);
    }

    [Fact]
    public void Encrypt_Aes256CbcPkcs1_GpgsmDecryptsExactContent()
    {
        using var dir = new TempDir();
        using var gpgsm = new GpgsmHome(dir);
        gpgsm.ImportKey(Alice);
        byte[] content = RandomNumberGenerator.GetBytes(5000);
        byte[] encoded = EnvelopedContent.Encrypt(
            content, [new CmsRecipient(Alice)], ContentEncryptionAlgorithm.Aes256Cbc);
        File.WriteAllBytes(dir.File("enc.der"), encoded);

        Peer.Result decrypt = gpgsm.RunWithPassphrase(
            "--decrypt", "-o", dir.File("plain.bin"), dir.File("enc.der"));
        Assert.True(decrypt.ExitCode == 0, decrypt.StdErr);

        Assert.Equal(content, File.ReadAllBytes(dir.File("plain.bin")));
    }

    private static DecryptedContent DecryptOpenSslOutput(
        string[] cipherOptions,
        string[] keyOptions,
        out byte[] content,
        int contentLength = 3000)
    {
        using var dir = new TempDir();
        TestPki.WritePem(Alice, dir.File("alice.pem"));
        content = RandomNumberGenerator.GetBytes(contentLength);
        File.WriteAllBytes(dir.File("plain.bin"), content);
        string[] arguments =
        [
            "cms", "-encrypt", "-binary", "-outform", "DER", "-in", "plain.bin",
            "-out", "enc.der", .. cipherOptions, "-recip", "alice.pem", .. keyOptions,
        ];

        Peer.OpenSsl(dir.Path, arguments);

        return EnvelopedContent.Decrypt(File.ReadAllBytes(dir.File("enc.der")), [Alice]);
    }
}
