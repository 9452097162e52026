using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

/// <summary>Ed25519 SignedData (RFC 8419): round trips, refusals and the signer's key.</summary>
public sealed class SignedDataEd25519Tests
{
    private static readonly byte[] s_content = Encoding.ASCII.GetBytes(
        "Content-Type: text/plain\r\n\r\nSigned with Ed25519.\r\n");

    // id-Ed25519 with absent parameters (RFC 8419 §2.3) and id-sha512 (RFC 8419 §3.1).
    private static readonly byte[] s_ed25519Identifier = Convert.FromHexString("300506032B6570");
    private static readonly byte[] s_sha512Oid = Convert.FromHexString("0609608648016503040203");
    private static readonly byte[] s_sha256Oid = Convert.FromHexString("0609608648016503040201");

    private static readonly Lazy<CertificateKey> s_key =
        new(() => Ed25519TestCertificates.Issue(TestPki.Shared, "ed25519@example.com"));

    internal static CertificateKey Key => s_key.Value;

    [Fact]
    public void CreateDetached_Ed25519_SignsWithSha512AndVerifies()
    {
        var signer = new CmsSigner(Key);
        using var digests = new DigestingStream([signer.DigestAlgorithm]);
        digests.Write(s_content);

        byte[] encoded = SignedData.CreateDetached([signer], digests);
        SignedData signedData = SignedData.Decode(encoded);
        SignerInfo info = signedData.SignerInfos.Single();
        SignerCheck check = Check(signedData, info, s_content);

        Assert.True(check.IsValid, check.Failure);
        Assert.Equal(HashAlgorithmName.SHA512, info.DigestAlgorithm);
        Assert.Equal(Oids.Ed25519, info.SignatureAlgorithmOid);
        Assert.Equal("Ed25519", info.SignatureAlgorithmName);
        Assert.Equal(64, info.Signature.Length);
        Assert.Equal(Key.Certificate.RawData, check.Certificate!.RawData);
        Assert.True(encoded.AsSpan().IndexOf(s_ed25519Identifier) > 0);
        Assert.Null(signedData.Content);
    }

    [Fact]
    public void CreateEncapsulated_Ed25519_RoundTrips()
    {
        byte[] encoded = SignedData.CreateEncapsulated([new CmsSigner(Key)], s_content);

        SignedData signedData = SignedData.Decode(encoded);
        SignerInfo info = signedData.SignerInfos.Single();
        SignerCheck check = Check(signedData, info, signedData.Content!.Value.Span);

        Assert.True(check.IsValid, check.Failure);
        Assert.Equal(s_content, signedData.Content!.Value.ToArray());
        Assert.Equal(HashAlgorithmName.SHA512, Assert.Single(signedData.DigestAlgorithms));
    }

    [Fact]
    public void CreateEncapsulated_Ed25519_IsDeterministicForTheSameAttributes()
    {
        // PureEdDSA has no randomness (RFC 8032 §5.1.6): fixed signed attributes give the
        // same signature, which is what lets a tampered copy be told apart byte for byte.
        var time = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var signer = new CmsSigner(Key) { SigningTime = time };

        byte[] first = SignedData.CreateEncapsulated([signer], s_content);
        byte[] second = SignedData.CreateEncapsulated([signer], s_content);

        Assert.Equal(first, second);
    }

    [Fact]
    public void CheckSignature_Ed25519TamperedContent_Refused()
    {
        byte[] encoded = SignedData.CreateEncapsulated([new CmsSigner(Key)], s_content);
        byte[] tampered = ReplaceOnce(
            encoded, Encoding.ASCII.GetBytes("Ed25519."), Encoding.ASCII.GetBytes("Ed25518."));

        SignedData signedData = SignedData.Decode(tampered);
        SignerCheck check = Check(
            signedData, signedData.SignerInfos.Single(), signedData.Content!.Value.Span);

        Assert.False(check.IsValid);
        Assert.Contains("messageDigest", check.Failure);
    }

    [Fact]
    public void CheckSignature_Ed25519TamperedSignature_Refused()
    {
        byte[] encoded = SignedData.CreateEncapsulated([new CmsSigner(Key)], s_content);
        SignerInfo original = SignedData.Decode(encoded).SignerInfos.Single();
        byte[] signature = original.Signature.ToArray();
        byte[] changed = (byte[])signature.Clone();
        changed[10] ^= 0x01;

        SignedData signedData = SignedData.Decode(ReplaceOnce(encoded, signature, changed));
        SignerCheck check = Check(signedData, signedData.SignerInfos.Single(), s_content);

        Assert.False(check.IsValid);
        Assert.Contains("does not verify", check.Failure);
    }

    [Fact]
    public void CheckSignature_Ed25519TamperedSignedAttribute_Refused()
    {
        // The signature covers the signed attributes' DER (RFC 8419 §3.2): change the
        // signing time, which nothing else checks.
        var time = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        byte[] encoded = SignedData.CreateEncapsulated(
            [new CmsSigner(Key) { SigningTime = time }], s_content);
        byte[] tampered = ReplaceOnce(
            encoded, Encoding.ASCII.GetBytes("300102030405Z"),
            Encoding.ASCII.GetBytes("300102030406Z"));

        SignedData signedData = SignedData.Decode(tampered);
        SignerCheck check = Check(signedData, signedData.SignerInfos.Single(), s_content);

        Assert.False(check.IsValid);
        Assert.Contains("does not verify", check.Failure);
    }

    [Fact]
    public void CheckSignature_Ed25519WithSha256Digest_Refused()
    {
        // Both digest identifiers (digestAlgorithms and the SignerInfo's) say SHA-256 now.
        byte[] encoded = SignedData.CreateEncapsulated([new CmsSigner(Key)], s_content);
        int first = encoded.AsSpan().IndexOf(s_sha512Oid);
        int second = first + 1 + encoded.AsSpan(first + 1).IndexOf(s_sha512Oid);
        byte[] tampered = (byte[])encoded.Clone();
        s_sha256Oid.CopyTo(tampered, first);
        s_sha256Oid.CopyTo(tampered, second);

        SignedData signedData = SignedData.Decode(tampered);
        SignerCheck check = Check(signedData, signedData.SignerInfos.Single(), s_content);

        Assert.False(check.IsValid);
        Assert.Contains("RFC 8419 §3.1", check.Failure);
    }

    [Fact]
    public void CmsSigner_Ed25519KeyOfAnotherCertificate_Throws()
    {
        CertificateKey other = Ed25519TestCertificates.Issue(TestPki.Shared, "other@example.com");
        using var mismatched = new CertificateKey(Key.Certificate, other.Pkcs8PrivateKey);

        ArgumentException e = Assert.Throws<ArgumentException>(() => new CmsSigner(mismatched));

        Assert.Contains("not the key of", e.Message);
    }

    [Fact]
    public void CmsSigner_X25519Key_Throws()
    {
        // OneAsymmetricKey with id-X25519 (RFC 8410 §7), a key that cannot sign.
        byte[] pkcs8 = Convert.FromHexString(
            "302E020100300506032B656E04220420" + new string('1', 64));
        using var key = new CertificateKey(Key.Certificate, pkcs8);

        ArgumentException e = Assert.Throws<ArgumentException>(() => new CmsSigner(key));

        Assert.Contains("1.3.101.110", e.Message);
    }

    [Fact]
    public void CmsSigner_RsaPkcs8Key_AttachedToTheCertificate()
    {
        X509Certificate2 rsa = Signer(TestKeyType.Rsa2048);
        byte[] pkcs8 = rsa.GetRSAPrivateKey()!.ExportPkcs8PrivateKey();
        using var publicOnly = X509CertificateLoader.LoadCertificate(rsa.RawData);
        using var key = new CertificateKey(publicOnly, pkcs8);

        byte[] encoded = SignedData.CreateEncapsulated([new CmsSigner(key)], s_content);
        SignedData signedData = SignedData.Decode(encoded);
        SignerCheck check = Check(signedData, signedData.SignerInfos.Single(), s_content);

        Assert.True(check.IsValid, check.Failure);
    }

    [Fact]
    public void CmsSigner_EcPkcs8KeyForCertificateWithKey_Signs()
    {
        X509Certificate2 ec = Signer(TestKeyType.EcP384);
        byte[] pkcs8 = ec.GetECDsaPrivateKey()!.ExportPkcs8PrivateKey();
        using var key = new CertificateKey(ec, pkcs8);

        byte[] encoded = SignedData.CreateEncapsulated(
            [new CmsSigner(key) { DigestAlgorithm = HashAlgorithmName.SHA384 }], s_content);
        SignedData signedData = SignedData.Decode(encoded);
        SignerCheck check = Check(signedData, signedData.SignerInfos.Single(), s_content);

        Assert.True(check.IsValid, check.Failure);
        Assert.Equal(Oids.EcdsaWithSha384, signedData.SignerInfos.Single().SignatureAlgorithmOid);
    }

    [Fact]
    public void CmsSigner_RsaPkcs8KeyOfAnotherCertificate_Throws()
    {
        byte[] pkcs8 = Signer(TestKeyType.Rsa3072).GetRSAPrivateKey()!.ExportPkcs8PrivateKey();
        using var publicOnly =
            X509CertificateLoader.LoadCertificate(Signer(TestKeyType.Rsa2048).RawData);
        using var key = new CertificateKey(publicOnly, pkcs8);

        Assert.Throws<ArgumentException>(() => new CmsSigner(key));
    }

    [Fact]
    public void CreateEncapsulated_Ed25519WithSha256_Throws()
    {
        var signer = new CmsSigner(Key) { DigestAlgorithm = HashAlgorithmName.SHA256 };

        ArgumentException e = Assert.Throws<ArgumentException>(
            () => SignedData.CreateEncapsulated([signer], s_content));

        Assert.Contains("RFC 8419 §3.1", e.Message);
    }

    [Fact]
    public void CreateEncapsulated_Ed25519WithPss_Throws()
    {
        var signer = new CmsSigner(Key) { UsePss = true };

        Assert.Throws<ArgumentException>(() => SignedData.CreateEncapsulated([signer], s_content));
    }

    [Fact]
    public void Sign_Rfc8032Test1_GivesThePublishedSignature()
    {
        // RFC 8032 §7.1 TEST 1: the empty message, checked through our PKCS#8 reading.
        byte[] seed = Convert.FromHexString(
            "9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60");
        byte[] pkcs8 = Ed25519TestCertificates.Pkcs8(seed);

        byte[] signature = Ed25519Signatures.Sign(pkcs8, []);

        Assert.Equal(
            "D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A",
            Convert.ToHexString(Ed25519Signatures.PublicKeyOf(pkcs8)));
        Assert.Equal(
            "E5564300C360AC729086E2CC806E828A84877F1EB8E5D974D873E065224901555FB8821590A33BAC" +
            "C61E39701CF9B46BD25BF5F0595BBE24655141438E7A100B",
            Convert.ToHexString(signature));
    }

    [Fact]
    public void Sign_MalformedPkcs8_Throws()
    {
        byte[] pkcs8 = Ed25519TestCertificates.Pkcs8(new byte[31]);

        Assert.Throws<CryptographicException>(() => Ed25519Signatures.Sign(pkcs8, []));
    }
}
