using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using NetCertificate = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace Smime.Tests.Cms;

/// <summary>
/// Ed25519 SignedData against a real peer. OpenSSL 3.0 has no Ed25519 in CMS ("no default
/// digest", then "invalid digest" with -md sha512), gpgsm 2.2.40 checks no Ed25519 signature
/// ("DSA requires the hash length to be a multiple of 8 bits"), and MimeKit has no Ed25519, so
/// BouncyCastle's own CMS classes (Org.BouncyCastle.Cms) stand in as a test-only peer, both
/// ways. They share only the curve arithmetic with our code; the CMS encoding, the signed
/// attributes and the digests are theirs. OpenSSL makes the keys and certificates of one test.
/// RFC 8419 has no signed-data example to verify, so there is no published vector here.
/// </summary>
public sealed class SignedDataEd25519PeerTests
{
    private static readonly byte[] s_content = Encoding.ASCII.GetBytes(
        "Content-Type: text/plain\r\n\r\nInterop with BouncyCastle.\r\n");

    [Fact]
    public void CheckSignature_BouncyCastleEd25519WithSignedAttributes_Verifies()
    {
        CertificateKey key = SignedDataEd25519Tests.Key;
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(new SignerInfoGeneratorBuilder().Build(
            new Asn1SignatureFactory("Ed25519", BcPrivateKey(key)), BcCert(key.Certificate)));
        byte[] encoded = generator.Generate(new CmsProcessableByteArray(s_content), true)
            .GetEncoded();

        SignedData signedData = SignedData.Decode(encoded);
        SignerInfo info = signedData.SignerInfos.Single();
        SignerCheck check = Check(signedData, info, signedData.Content!.Value.Span,
            [key.Certificate]);

        Assert.True(check.IsValid, check.Failure);
        Assert.Equal(HashAlgorithmName.SHA512, info.DigestAlgorithm);
        Assert.Equal(Oids.Ed25519, info.SignatureAlgorithmOid);
        Assert.NotEmpty(info.SignedAttributes);
    }

    [Fact]
    public void CheckSignature_BouncyCastleEd25519Tampered_Refused()
    {
        CertificateKey key = SignedDataEd25519Tests.Key;
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(new SignerInfoGeneratorBuilder().Build(
            new Asn1SignatureFactory("Ed25519", BcPrivateKey(key)), BcCert(key.Certificate)));
        byte[] encoded = generator.Generate(new CmsProcessableByteArray(s_content), true)
            .GetEncoded();
        byte[] tampered = ReplaceOnce(encoded, "Interop"u8.ToArray(), "Interup"u8.ToArray());

        SignedData signedData = SignedData.Decode(tampered);
        SignerCheck check = Check(signedData, signedData.SignerInfos.Single(),
            signedData.Content!.Value.Span, [key.Certificate]);

        Assert.False(check.IsValid);
    }

    [Fact]
    public void CheckSignatureOfContent_BouncyCastleEd25519WithoutSignedAttributes_Verifies()
    {
        // RFC 8419 §3.2: with no signed attributes, PureEdDSA signs the content itself.
        CertificateKey key = SignedDataEd25519Tests.Key;
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(new SignerInfoGeneratorBuilder()
            .SetDirectSignature(true)
            .Build(
                new Asn1SignatureFactory("Ed25519", BcPrivateKey(key)),
                BcCert(key.Certificate)));
        byte[] encoded = generator.Generate(new CmsProcessableByteArray(s_content), true)
            .GetEncoded();

        SignedData signedData = SignedData.Decode(encoded);
        SignerInfo info = signedData.SignerInfos.Single();
        ReadOnlySpan<byte> content = signedData.Content!.Value.Span;
        SignerCheck byContent = info.CheckSignatureOfContent(
            content, signedData.ContentType, [key.Certificate]);
        SignerCheck byDigest = Check(signedData, info, content, [key.Certificate]);
        byte[] other = (byte[])s_content.Clone();
        other[^3] ^= 0x01;
        SignerCheck otherContent = info.CheckSignatureOfContent(
            other, signedData.ContentType, [key.Certificate]);

        Assert.Empty(info.SignedAttributes);
        Assert.True(byContent.IsValid, byContent.Failure);
        Assert.False(byDigest.IsValid);
        Assert.Contains("CheckSignatureOfContent", byDigest.Failure);
        Assert.False(otherContent.IsValid);
    }

    [Fact]
    public void CreateEncapsulated_Ed25519_VerifiedByBouncyCastle()
    {
        CertificateKey key = SignedDataEd25519Tests.Key;
        byte[] encoded = SignedData.CreateEncapsulated([new CmsSigner(key)], s_content);

        var peer = new CmsSignedData(encoded);
        SignerInformation signer = peer.GetSignerInfos().GetSigners().Single();

        Assert.True(signer.Verify(BcCert(key.Certificate)));
        Assert.Equal(Oids.Ed25519, signer.SignatureAlgorithm.Algorithm.Id);
        Assert.Equal(Oids.Sha512, signer.DigestAlgorithmID.Algorithm.Id);
        using var content = new MemoryStream();
        peer.SignedContent.Write(content);
        Assert.Equal(s_content, content.ToArray());
    }

    [Fact]
    public void CreateDetached_Ed25519_VerifiedByBouncyCastle()
    {
        CertificateKey key = SignedDataEd25519Tests.Key;
        var signer = new CmsSigner(key);
        using var digests = new DigestingStream([signer.DigestAlgorithm]);
        digests.Write(s_content);
        byte[] encoded = SignedData.CreateDetached([signer], digests);

        var peer = new CmsSignedData(new CmsProcessableByteArray(s_content), encoded);
        SignerInformation information = peer.GetSignerInfos().GetSigners().Single();
        byte[] other = (byte[])s_content.Clone();
        other[0] ^= 0x20;
        var tampered = new CmsSignedData(new CmsProcessableByteArray(other), encoded);

        Assert.True(information.Verify(BcCert(key.Certificate)));
        Assert.ThrowsAny<CmsException>(() => tampered.GetSignerInfos().GetSigners().Single()
            .Verify(BcCert(key.Certificate)));
    }

    [Fact]
    public void CreateEncapsulated_OpenSslMadeEd25519Key_VerifiedByBouncyCastleAndUs()
    {
        // OpenSSL 3.0 makes the key and the certificate (it signs no Ed25519 CMS), so the
        // PKCS#8 and SubjectPublicKeyInfo we read come from another implementation.
        using var dir = new TempDir();
        TestPki.WritePem(TestPki.Shared.Root, dir.File("root.pem"));
        File.WriteAllText(dir.File("root.key"),
            TestPki.Shared.Root.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(dir.File("ext.cnf"),
            "keyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\n" +
            "subjectAltName=email:openssl-ed25519@example.com\n" +
            "subjectKeyIdentifier=hash\n");
        Peer.OpenSsl(dir.Path, "genpkey", "-algorithm", "ed25519", "-out", "ed.key");
        Peer.OpenSsl(dir.Path, "req", "-new", "-key", "ed.key",
            "-subj", "/CN=openssl-ed25519@example.com", "-out", "ed.csr");
        Peer.OpenSsl(dir.Path, "x509", "-req", "-in", "ed.csr", "-CA", "root.pem",
            "-CAkey", "root.key", "-CAcreateserial", "-days", "30", "-extfile", "ext.cnf",
            "-out", "ed.pem");

        NetCertificate certificate =
            NetCertificate.CreateFromPem(File.ReadAllText(dir.File("ed.pem")));
        byte[] pkcs8 = PemDer(File.ReadAllText(dir.File("ed.key")), "PRIVATE KEY");
        using var key = new CertificateKey(certificate, pkcs8);
        byte[] encoded = SignedData.CreateEncapsulated(
            [new CmsSigner(key) { IdentifierType = SignerIdentifierType.SubjectKeyIdentifier }],
            s_content);

        SignedData signedData = SignedData.Decode(encoded);
        SignerCheck ours = Check(signedData, signedData.SignerInfos.Single(), s_content);
        SignerInformation peer = new CmsSignedData(encoded).GetSignerInfos().GetSigners().Single();

        Assert.True(ours.IsValid, ours.Failure);
        Assert.True(peer.Verify(BcCert(certificate)));
        Peer.OpenSsl(dir.Path, "verify", "-CAfile", "root.pem", "ed.pem");
    }

    private static Ed25519PrivateKeyParameters BcPrivateKey(CertificateKey key) =>
        new(Ed25519TestCertificates.Seed(key.Pkcs8PrivateKey));

    private static BcCertificate BcCert(NetCertificate certificate) =>
        new X509CertificateParser().ReadCertificate(certificate.RawData);

    private static byte[] PemDer(string pem, string label)
    {
        PemFields fields = PemEncoding.Find(pem);
        Assert.Equal(label, pem[fields.Label]);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }
}
