using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Cms.Asn;
using Smime.Tests.Support;

namespace Smime.Tests.Cms;

/// <summary>
/// RFC 5083 §2.1: AuthEnvelopedData of a type other than id-data carries authAttrs, so the
/// AEAD authenticates the content type, which the EncryptedContentInfo alone leaves open.
/// </summary>
public sealed class AuthEnvelopedContentTypeTests
{
    private static X509Certificate2 Rsa => CmsTestCertificates.Signer(TestKeyType.Rsa2048);

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm)]
    [InlineData(ContentEncryptionAlgorithm.ChaCha20Poly1305)]
    public void Encrypt_SignedDataInside_WritesContentTypeAuthAttrAndRoundTrips(
        ContentEncryptionAlgorithm algorithm)
    {
        byte[] content = RandomNumberGenerator.GetBytes(64);

        byte[] encoded = EnvelopedContent.Encrypt(
            content, [new CmsRecipient(Rsa)], algorithm, Oids.SignedData);
        DecryptedContent result = EnvelopedContent.Decrypt(encoded, [Rsa]);

        Assert.Equal(content, result.Content);
        Assert.Equal(Oids.SignedData, result.ContentType);

        // SET OF { Attribute { contentType, SET { id-signedData } } } as the AAD.
        Assert.Equal(
            "311A301806092A864886F70D010903310B06092A864886F70D010702",
            Convert.ToHexString(EnvelopedDataAsn.Decode(encoded).AuthenticatedData));
    }

    [Fact]
    public void Encrypt_SignedDataInsideGcm_OpenSsl30CannotParseAuthAttrs()
    {
        // Known limit of the peer, not of us: OpenSSL 3.0 tags authAttrs [2] instead of [1]
        // (openssl/openssl#26101, fixed by #31695 in 2026), so it reads no AuthEnvelopedData
        // that carries them. If this starts failing, openssl was fixed: make it an interop test.
        using var dir = new TempDir();
        TestPki.WritePem(Rsa, dir.File("rsa.pem"), dir.File("rsa.key"));
        File.WriteAllBytes(dir.File("enc.der"), EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(Rsa)], ContentEncryptionAlgorithm.Aes256Gcm, Oids.SignedData));

        Peer.Result result = Peer.Run("openssl",
            ["cms", "-decrypt", "-inform", "DER", "-in", "enc.der", "-recip", "rsa.pem",
                "-inkey", "rsa.key", "-binary", "-out", "plain.bin"],
            dir.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Field=mac, Type=CMS_AuthEnvelopedData", result.StdErr);
    }

    [Fact]
    public void Encrypt_IdData_WritesNoAuthAttrs()
    {
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(Rsa)], ContentEncryptionAlgorithm.ChaCha20Poly1305);

        Assert.Empty(EnvelopedDataAsn.Decode(encoded).AuthenticatedData);
    }

    [Fact]
    public void Decrypt_ContentTypeAlteredUnderAuthAttrs_Refused()
    {
        // id-signedData (…7.2) becomes id-envelopedData (…7.3) in the EncryptedContentInfo
        // only: the authenticated attribute no longer agrees.
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(Rsa)], ContentEncryptionAlgorithm.Aes256Gcm, Oids.SignedData);
        byte[] signedDataOid = Convert.FromHexString("06092A864886F70D010702");
        int first = encoded.AsSpan().IndexOf(signedDataOid);
        encoded[first + signedDataOid.Length - 1] = 0x03;

        var e = Assert.ThrowsAny<CryptographicException>(
            () => EnvelopedContent.Decrypt(encoded, [Rsa]));

        Assert.Contains("content-type attribute does not name", e.Message);
    }

    [Fact]
    public void Decrypt_IdDataAlteredWithoutAuthAttrs_Refused()
    {
        // No authAttrs: the type must be id-data, so an altered one is refused.
        byte[] encoded = EnvelopedContent.Encrypt(
            "x"u8, [new CmsRecipient(Rsa)], ContentEncryptionAlgorithm.Aes128Gcm);
        byte[] dataOid = Convert.FromHexString("06092A864886F70D010701");
        byte[] other = Convert.FromHexString("06092A864886F70D010702");

        var e = Assert.ThrowsAny<CryptographicException>(() => EnvelopedContent.Decrypt(
            CmsTestCertificates.ReplaceOnce(encoded, dataOid, other), [Rsa]));

        Assert.Contains("RFC 5083 §2.1", e.Message);
    }
}
