using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;

namespace Smime.Tests.Cms;

/// <summary>
/// Published example messages made by another implementation (CryptoSys, for
/// draft-ireland-examples-cms) to the RFC 9216 example keys: the vectors for X25519
/// (RFC 8418) and ChaCha20-Poly1305 (RFC 8103), which neither RFC includes and OpenSSL 3.0
/// cannot make. See tests/TestData/cms-examples/NOTES.md.
/// </summary>
public sealed class CmsExampleVectorTests
{
    private static readonly byte[] s_sampleContent = "This is some sample content."u8.ToArray();

    [Fact]
    public void Decrypt_AuthEnvelopedForDanaX25519Hkdf_SampleContent()
    {
        using CertificateKey dana = Dana();

        DecryptedContent result = EnvelopedContent.Decrypt(
            Vector("authEnvelopedForDanaX25519HKDF"), [], [dana]);

        Assert.Equal(s_sampleContent, result.Content);
        Assert.Equal(ContentEncryptionAlgorithm.Aes128Gcm, result.Algorithm);
        Assert.True(result.IsAuthenticated);
    }

    [Fact]
    public void Decrypt_AuthEnvelopedForBobChaCha20Poly1305_SampleContent()
    {
        using X509Certificate2 bob = Bob();

        DecryptedContent result =
            EnvelopedContent.Decrypt(Vector("authEnvelopedForBobChaCha20Poly1305"), [bob]);

        Assert.Equal(s_sampleContent, result.Content);
        Assert.Equal(ContentEncryptionAlgorithm.ChaCha20Poly1305, result.Algorithm);
    }

    [Fact]
    public void Decrypt_EncryptedForBobAndDana_EachOpensSampleContent()
    {
        // Dana's kari uses the X9.63 KDF with X25519, which RFC 8418 §2 allows beside HKDF.
        byte[] encoded = Vector("encryptedForBobAndDana");
        using X509Certificate2 bob = Bob();
        using CertificateKey dana = Dana();

        DecryptedContent byBob = EnvelopedContent.Decrypt(encoded, [bob]);
        DecryptedContent byDana = EnvelopedContent.Decrypt(encoded, [], [dana]);

        Assert.Equal(s_sampleContent, byBob.Content);
        Assert.Equal(s_sampleContent, byDana.Content);
        Assert.Equal(ContentEncryptionAlgorithm.Aes128Cbc, byDana.Algorithm);
    }

    [Fact]
    public void Decrypt_EncryptedForBobRsaOaep_SampleContent()
    {
        using X509Certificate2 bob = Bob();

        DecryptedContent result =
            EnvelopedContent.Decrypt(Vector("encryptedForBobRSAOaep"), [bob]);

        Assert.Equal(s_sampleContent, result.Content);
    }

    [Fact]
    public void Decrypt_DanaVectorAnyByteFlipped_RefusedOrSampleContent()
    {
        byte[] encoded = Vector("authEnvelopedForDanaX25519HKDF");
        using CertificateKey dana = Dana();

        for (int i = 0; i < encoded.Length; i++)
        {
            byte[] flipped = (byte[])encoded.Clone();
            flipped[i] ^= 0x01;
            try
            {
                DecryptedContent result = EnvelopedContent.Decrypt(flipped, [], [dana]);
                Assert.Equal(s_sampleContent, result.Content);
            }
            catch (CryptographicException)
            {
            }
        }
    }

    private static byte[] Vector(string name) =>
        File.ReadAllBytes(Path.Combine(Folder, name + ".p7m"));

    private static string Folder =>
        Path.Combine(AppContext.BaseDirectory, "TestData", "cms-examples");

    private static X509Certificate2 Bob()
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(
            Path.Combine(Folder, "lamps-bob.encrypt.crt"));
        using RSA key = RSA.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(Folder, "lamps-bob.decrypt.p8.pem")));
        return certificate.CopyWithPrivateKey(key);
    }

    private static CertificateKey Dana()
    {
        X509Certificate2 certificate = X509CertificateLoader.LoadCertificateFromFile(
            Path.Combine(Folder, "lamps-dana.encrypt.crt"));
        string pem = File.ReadAllText(Path.Combine(Folder, "lamps-dana.decrypt.p8.pem"));
        PemFields fields = PemEncoding.Find(pem);
        byte[] pkcs8 = Convert.FromBase64String(pem[fields.Base64Data]);
        return new CertificateKey(certificate, pkcs8);
    }
}
