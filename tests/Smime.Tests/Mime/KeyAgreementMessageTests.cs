using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;
using Smime.Mime;
using Smime.Tests.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Mime.MimeSamples;

namespace Smime.Tests.Mime;

/// <summary>
/// Whole messages encrypted to key-agreement recipients through SmimeWriter and SmimeReader:
/// ECDH on P-256/384/521 (RFC 5753), X25519 and X448 (RFC 8418), mixed with RSA. ECDH is checked
/// against `openssl cms` both ways; OpenSSL 3.0 has no X25519 in CMS, so BouncyCastle's CMS
/// classes (BouncyCastleCmsPeer) stand in as the peer for X25519.
/// </summary>
public sealed class KeyAgreementMessageTests
{
    private const string Content = "H\u00e4llo Bob,\r\nthis message is signed.\r\n";

    [Theory]
    [InlineData(CurveCertificates.X25519, ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData(CurveCertificates.X25519, ContentEncryptionAlgorithm.ChaCha20Poly1305)]
    [InlineData(CurveCertificates.X25519, ContentEncryptionAlgorithm.Aes128Cbc)]
    [InlineData(CurveCertificates.X448, ContentEncryptionAlgorithm.Aes256Gcm)]
    public void Encrypt_Montgomery_ReadsBackWithRawKey(
        string keyOid,
        ContentEncryptionAlgorithm algorithm)
    {
        using CertificateKey bob = CurveCertificates.Issue(TestPki.Shared, "bob@example.com", keyOid);
        byte[] encrypted = Encrypt(TextMessage(), algorithm, null, bob.Certificate);

        ReadResult result = ReadWith(encrypted, out byte[] content, rawKeys: [bob]);

        Layer layer = Assert.Single(result.Layers);
        Assert.Equal($"{algorithm} for '{bob.Certificate.Subject}'", layer.Description);
        Assert.Contains("H=C3=A4llo Bob,\r\nthis message is signed.\r\n", Text(content));
    }

    [Fact]
    public void Read_X25519WithAnotherKey_Refused()
    {
        using CertificateKey bob = CurveCertificates.Issue(TestPki.Shared, "bob@example.com");
        using CertificateKey eve = CurveCertificates.Issue(TestPki.Shared, "eve@example.com");
        byte[] encrypted = Encrypt(
            TextMessage(), ContentEncryptionAlgorithm.Aes256Gcm, null, bob.Certificate);

        Assert.Throws<CmsDecryptionException>(() => ReadWith(encrypted, out _, rawKeys: [eve]));
    }

    [Theory]
    [InlineData(TestKeyType.EcP256)]
    [InlineData(TestKeyType.EcP384)]
    [InlineData(TestKeyType.EcP521)]
    public void Encrypt_Ecdh_ReadsBack(TestKeyType keyType)
    {
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com", keyType);
        byte[] encrypted = Encrypt(TextMessage(), ContentEncryptionAlgorithm.Aes256Gcm, null, bob);

        ReadResult result = Read(encrypted, out byte[] content, keys: [bob]);

        Assert.Equal(LayerKind.AuthEnvelopedData, Assert.Single(result.Layers).Kind);
        Assert.Contains("this message is signed.\r\n", Text(content));
    }

    [Fact]
    public void Encrypt_RsaEcdhAndX25519Recipients_EachOpensAlone()
    {
        using X509Certificate2 rsa = TestPki.Shared.Issue("rsa@example.com");
        using X509Certificate2 ec = TestPki.Shared.Issue("ec@example.com", TestKeyType.EcP256);
        using CertificateKey x25519 = CurveCertificates.Issue(TestPki.Shared, "x@example.com");
        byte[] encrypted = Encrypt(TextMessage(), ContentEncryptionAlgorithm.ChaCha20Poly1305,
            null, rsa, ec, x25519.Certificate);

        ReadWith(encrypted, out byte[] byRsa, keys: [rsa]);
        ReadWith(encrypted, out byte[] byEc, keys: [ec]);
        ReadWith(encrypted, out byte[] byX25519, rawKeys: [x25519]);

        Assert.Contains("this message is signed.\r\n", Text(byRsa));
        Assert.Equal(byRsa, byEc);
        Assert.Equal(byRsa, byX25519);
    }

    [Fact]
    public void Encrypt_Ed25519SignedCompressedChaChaToX25519_ValidAtTheOtherEnd()
    {
        CertificateKey alice = SignedDataEd25519Tests.Key;
        string from = alice.Certificate.GetNameInfo(X509NameType.EmailName, false);
        using CertificateKey bob = CurveCertificates.Issue(TestPki.Shared, "bob@example.com");
        using var output = new MemoryStream();
        SmimeWriter.Encrypt(new MemoryStream(TextMessage(from)), output, new EncryptOptions
        {
            Recipients = [new CmsRecipient(bob.Certificate)],
            Algorithm = ContentEncryptionAlgorithm.ChaCha20Poly1305,
            SignFirst = new SignOptions { Signers = [new CmsSigner(alice)] },
            CompressFirst = true,
        });

        ReadResult result = ReadWith(output.ToArray(), out _, rawKeys: [bob]);

        Assert.Equal(VerdictOutcome.Valid, result.Verdict.Outcome);
        Assert.Equal("Ed25519", Assert.Single(result.Verdict.Signers).SignatureAlgorithm);
        Assert.Equal(
            [LayerKind.AuthEnvelopedData, LayerKind.CompressedData, LayerKind.ClearSigned],
            result.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void Encrypt_X25519_BouncyCastleDecryptsTheMimeBody()
    {
        using CertificateKey bob = CurveCertificates.Issue(TestPki.Shared, "bob@example.com");
        byte[] encrypted = Encrypt(
            TextMessage(), ContentEncryptionAlgorithm.ChaCha20Poly1305, null, bob.Certificate);

        byte[] plain = BouncyCastleCmsPeer.DecryptMontgomery(Pkcs7Body(encrypted), bob);

        Assert.StartsWith("Content-Type: text/plain; charset=utf-8\r\n", Text(plain));
        Assert.EndsWith("H=C3=A4llo Bob,\r\nthis message is signed.\r\n", Text(plain));
    }

    [Fact]
    public void Read_BouncyCastleX25519Message_Opens()
    {
        using CertificateKey bob = CurveCertificates.Issue(TestPki.Shared, "bob@example.com");
        byte[] cms = BouncyCastleCmsPeer.EncryptToMontgomery(
            Bytes("Content-Type: text/plain; charset=utf-8\r\n\r\n" + Content),
            bob.Certificate,
            BouncyCastleCmsPeer.ChaCha20Poly1305);
        byte[] message = Pkcs7Message("authEnveloped-data", cms);

        ReadResult result = ReadWith(message, out byte[] content, rawKeys: [bob]);

        Assert.Equal(LayerKind.AuthEnvelopedData, Assert.Single(result.Layers).Kind);
        Assert.EndsWith("\r\n\r\n" + Content, Text(content));
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, "aes-256-gcm")]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc, "aes-128-cbc")]
    public void Encrypt_EcdhP256_OpenSslDecrypts(ContentEncryptionAlgorithm algorithm, string name)
    {
        using var dir = new TempDir();
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com", TestKeyType.EcP256);
        TestPki.WritePem(bob, dir.File("bob.crt"), dir.File("bob.key"));
        File.WriteAllBytes(dir.File("enc.eml"), Encrypt(TextMessage(), algorithm, null, bob));

        string dump = Peer.OpenSsl(dir.Path, "cms", "-cmsout", "-print", "-noout",
            "-in", "enc.eml").StdOut;
        Peer.OpenSsl(dir.Path, "cms", "-decrypt", "-in", "enc.eml", "-recip", "bob.crt",
            "-inkey", "bob.key", "-out", "plain.eml");

        Assert.Contains("dhSinglePass-stdDH-sha256kdf-scheme", dump);
        Assert.Contains(name, dump);
        Assert.EndsWith("H=C3=A4llo Bob,\r\nthis message is signed.\r\n",
            File.ReadAllText(dir.File("plain.eml")));
    }

    [Theory]
    [InlineData(TestKeyType.EcP256, "-aes-256-gcm", LayerKind.AuthEnvelopedData)]
    [InlineData(TestKeyType.EcP384, "-aes256", LayerKind.EnvelopedData)]
    public void Read_OpenSslEcdhMessage_Opens(TestKeyType keyType, string cipher, LayerKind kind)
    {
        using var dir = new TempDir();
        using X509Certificate2 bob = TestPki.Shared.Issue("bob@example.com", keyType);
        TestPki.WritePem(bob, dir.File("bob.crt"));
        File.WriteAllBytes(dir.File("msg.eml"), TextMessage());
        Peer.OpenSsl(dir.Path, "cms", "-encrypt", cipher, "-in", "msg.eml", "-out", "enc.eml",
            "bob.crt");

        ReadResult result = Read(File.ReadAllBytes(dir.File("enc.eml")), out byte[] content,
            keys: [bob]);

        Assert.Equal(kind, Assert.Single(result.Layers).Kind);
        Assert.EndsWith("\r\n\r\n" + Content, Text(content));
    }

    private static ReadResult ReadWith(
        byte[] message,
        out byte[] content,
        X509Certificate2[]? keys = null,
        CertificateKey[]? rawKeys = null)
    {
        using var output = new MemoryStream();
        ReadResult result = SmimeReader.Read(new MemoryStream(message), new ReadOptions
        {
            DecryptionKeys = keys ?? [],
            DecryptionRawKeys = rawKeys ?? [],
            TrustAnchors = [TestPki.Shared.Root],
        }, output);
        content = output.ToArray();
        return result;
    }

    /// <summary>The decoded base64 body of a one-part application/pkcs7-mime message.</summary>
    private static byte[] Pkcs7Body(byte[] message)
    {
        string text = Text(message);
        int body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        return Convert.FromBase64String(text[body..].Replace("\r\n", string.Empty));
    }

    private static byte[] Pkcs7Message(string smimeType, byte[] contentInfo) =>
        Encoding.ASCII.GetBytes(
            "From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nMIME-Version: 1.0\r\n"
            + $"Content-Type: application/pkcs7-mime; smime-type={smimeType}; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(contentInfo, Base64FormattingOptions.InsertLineBreaks)
            + "\r\n");
}
