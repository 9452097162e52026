using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

/// <summary>SignedData against the real `openssl cms` (OpenSSL 3.0), both ways.</summary>
public sealed class SignedDataInteropTests
{
    private static readonly byte[] s_content = Encoding.Latin1.GetBytes(
        "Content-Type: application/octet-stream\r\n\r\nInterop\ntest: \u0000\u00ff\r\n");

    public static TheoryData<TestKeyType, bool, string, bool> OurSigners => new()
    {
        { TestKeyType.Rsa2048, false, "SHA256", false },
        { TestKeyType.Rsa2048, true, "SHA256", false },
        { TestKeyType.Rsa2048, true, "SHA384", true },
        { TestKeyType.Rsa3072, false, "SHA512", true },
        { TestKeyType.EcP256, false, "SHA256", true },
        { TestKeyType.EcP384, false, "SHA384", false },
        { TestKeyType.EcP521, false, "SHA512", false },
    };

    [Theory]
    [MemberData(nameof(OurSigners))]
    public void CreateDetached_VerifiedByOpenSsl(
        TestKeyType keyType, bool pss, string hash, bool byKeyIdentifier)
    {
        using var dir = new TempDir();
        CmsSigner signer = MakeSigner(keyType, pss, hash, byKeyIdentifier);
        using var digests = new DigestingStream([signer.DigestAlgorithm]);
        digests.Write(s_content);
        WriteCommonFiles(dir);
        File.WriteAllBytes(dir.File("sig.der"), SignedData.CreateDetached([signer], digests));

        Peer.Result result = Peer.OpenSsl(dir.Path, "cms", "-verify", "-inform", "DER",
            "-in", "sig.der", "-binary", "-content", "content.bin", "-CAfile", "root.pem",
            "-out", "out.bin");

        Assert.Contains("Verification successful", result.StdErr);
        Assert.Equal(s_content, File.ReadAllBytes(dir.File("out.bin")));
    }

    [Theory]
    [MemberData(nameof(OurSigners))]
    public void CreateEncapsulated_VerifiedByOpenSsl(
        TestKeyType keyType, bool pss, string hash, bool byKeyIdentifier)
    {
        using var dir = new TempDir();
        CmsSigner signer = MakeSigner(keyType, pss, hash, byKeyIdentifier);
        WriteCommonFiles(dir);
        File.WriteAllBytes(dir.File("sig.der"), SignedData.CreateEncapsulated([signer], s_content));

        Peer.Result result = Peer.OpenSsl(dir.Path, "cms", "-verify", "-inform", "DER",
            "-in", "sig.der", "-binary", "-CAfile", "root.pem", "-out", "out.bin");

        Assert.Contains("Verification successful", result.StdErr);
        Assert.Equal(s_content, File.ReadAllBytes(dir.File("out.bin")));
    }

    [Fact]
    public void CreateDetached_TwoSigners_VerifiedByOpenSsl()
    {
        using var dir = new TempDir();
        CmsSigner[] signers =
        [
            MakeSigner(TestKeyType.Rsa2048, pss: true, "SHA512", byKeyIdentifier: false),
            MakeSigner(TestKeyType.EcP384, pss: false, "SHA384", byKeyIdentifier: true),
        ];
        using var digests = new DigestingStream(signers.Select(s => s.DigestAlgorithm));
        digests.Write(s_content);
        WriteCommonFiles(dir);
        File.WriteAllBytes(dir.File("sig.der"), SignedData.CreateDetached(signers, digests));

        Peer.Result result = Peer.OpenSsl(dir.Path, "cms", "-verify", "-inform", "DER",
            "-in", "sig.der", "-binary", "-content", "content.bin", "-CAfile", "root.pem",
            "-out", "out.bin");

        Assert.Contains("Verification successful", result.StdErr);
    }

    [Fact]
    public void CreateDetached_ContentChanged_RefusedByOpenSsl()
    {
        using var dir = new TempDir();
        CmsSigner signer = MakeSigner(TestKeyType.Rsa2048, pss: false, "SHA256", false);
        using var digests = new DigestingStream([signer.DigestAlgorithm]);
        digests.Write(s_content);
        WriteCommonFiles(dir);
        File.WriteAllBytes(dir.File("sig.der"), SignedData.CreateDetached([signer], digests));
        byte[] changed = (byte[])s_content.Clone();
        changed[^3] ^= 0x20;
        File.WriteAllBytes(dir.File("content.bin"), changed);

        Peer.Result result = Peer.Run("openssl", ["cms", "-verify", "-inform", "DER",
            "-in", "sig.der", "-binary", "-content", "content.bin", "-CAfile", "root.pem",
            "-out", "out.bin"], dir.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("CMS_SignerInfo_verify_content:verification failure", result.StdErr);
    }

    [Fact]
    public void CreateDetached_Attributes_ReadByOpenSsl()
    {
        using var dir = new TempDir();
        CmsSigner signer = MakeSigner(TestKeyType.EcP256, pss: false, "SHA256", false);
        using var digests = new DigestingStream([signer.DigestAlgorithm]);
        digests.Write(s_content);
        File.WriteAllBytes(dir.File("sig.der"), SignedData.CreateDetached([signer], digests));

        Peer.Result result = Peer.OpenSsl(
            dir.Path, "cms", "-cmsout", "-print", "-inform", "DER", "-in", "sig.der");

        Assert.Contains("UTCTIME:Jun 15 12:34:56 2030 GMT", result.StdOut);
        Assert.Contains(Convert.ToHexString(SHA256.HashData(s_content))[..8].ToLowerInvariant()
            .Insert(2, " ").Insert(5, " ").Insert(8, " "), result.StdOut);
        string[] preference =
            [":aes-256-gcm", ":aes-128-gcm", ":aes-256-cbc", ":aes-128-cbc", ":rsaesOaep",
             ":rsaEncryption"];
        int[] positions = preference.Select(p => result.StdOut.IndexOf(p, StringComparison.Ordinal))
            .ToArray();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("signingCertificateV2", result.StdOut);
    }

    [Fact]
    public void CreateCertificatesOnly_ReadByOpenSsl()
    {
        using var dir = new TempDir();
        X509Certificate2 user = Signer(TestKeyType.EcP384);
        File.WriteAllBytes(dir.File("certs.der"),
            SignedData.CreateCertificatesOnly([user, TestPki.Shared.Root]));

        Peer.Result result = Peer.OpenSsl(
            dir.Path, "pkcs7", "-inform", "DER", "-in", "certs.der", "-print_certs", "-noout");

        Assert.Contains("subject=CN = ecp384@example.com", result.StdOut);
        Assert.Contains("CN = smime Test Root", result.StdOut);
    }

    [Fact]
    public void Decode_OpenSslCertificatesOnly_ReadsBothCertificates()
    {
        using var dir = new TempDir();
        X509Certificate2 user = Signer(TestKeyType.Rsa2048);
        File.WriteAllText(dir.File("certs.pem"),
            user.ExportCertificatePem() + "\n" + TestPki.Shared.Root.ExportCertificatePem() + "\n");
        Peer.OpenSsl(dir.Path, "crl2pkcs7", "-nocrl", "-certfile", "certs.pem",
            "-outform", "DER", "-out", "certs.der");

        SignedData decoded = SignedData.Decode(File.ReadAllBytes(dir.File("certs.der")));

        Assert.Empty(decoded.SignerInfos);
        Assert.Equal(
            new[] { user.Thumbprint, TestPki.Shared.Root.Thumbprint }.Order(),
            decoded.Certificates.Select(c => c.Thumbprint).Order());
    }

    public static TheoryData<string, TestKeyType, string[], string> OpenSslSignatures => new()
    {
        { "rsa-default", TestKeyType.Rsa2048, [], "RSA PKCS#1 v1.5 with SHA-256" },
        { "rsa-attached", TestKeyType.Rsa2048, ["-nodetach"], "RSA PKCS#1 v1.5 with SHA-256" },
        { "rsa-streamed-ber", TestKeyType.Rsa2048, ["-nodetach", "-stream"],
            "RSA PKCS#1 v1.5 with SHA-256" },
        { "rsa-sha384", TestKeyType.Rsa2048, ["-md", "sha384"], "RSA PKCS#1 v1.5 with SHA-384" },
        { "rsa-keyid", TestKeyType.Rsa3072, ["-keyid", "-md", "sha512"],
            "RSA PKCS#1 v1.5 with SHA-512" },
        { "pss-sha256", TestKeyType.Rsa2048,
            ["-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:digest"],
            "RSASSA-PSS with SHA-256" },
        { "pss-sha384-attached", TestKeyType.Rsa2048,
            ["-nodetach", "-md", "sha384", "-keyopt", "rsa_padding_mode:pss",
             "-keyopt", "rsa_pss_saltlen:digest"],
            "RSASSA-PSS with SHA-384" },
        { "ec-p256", TestKeyType.EcP256, [], "ECDSA with SHA-256" },
        { "ec-p384-sha384-keyid", TestKeyType.EcP384, ["-md", "sha384", "-keyid"],
            "ECDSA with SHA-384" },
        { "ec-p521-sha512-attached", TestKeyType.EcP521, ["-md", "sha512", "-nodetach"],
            "ECDSA with SHA-512" },
    };

    [Theory]
    [MemberData(nameof(OpenSslSignatures))]
    public void CheckSignature_OpenSslSignature_Verifies(
        string name, TestKeyType keyType, string[] options, string expectedAlgorithm)
    {
        (SignedData decoded, X509Certificate2 certificate) = SignWithOpenSsl(keyType, options);

        SignerInfo info = Assert.Single(decoded.SignerInfos);
        bool attached = options.Contains("-nodetach");
        Assert.Equal(attached, decoded.Content is not null);
        if (attached)
        {
            Assert.Equal(s_content, decoded.Content!.Value.ToArray());
        }

        Assert.Equal(expectedAlgorithm, info.SignatureAlgorithmName);
        Assert.Equal(
            options.Contains("-keyid")
                ? SignerIdentifierType.SubjectKeyIdentifier
                : SignerIdentifierType.IssuerAndSerialNumber,
            info.IdentifierType);
        Assert.NotNull(info.SigningTime);
        Assert.Contains(info.Capabilities, c => c.Oid == Oids.Aes256Cbc);
        SignerCheck check = Check(decoded, info, s_content);
        Assert.True(check.IsValid, $"{name}: {check.Failure}");
        Assert.Equal(certificate.RawData, check.Certificate!.RawData);
        Assert.Empty(check.Warnings);
    }

    [Fact]
    public void CheckSignature_OpenSslStreamedBer_UsesIndefiniteLengths()
    {
        (SignedData decoded, _) = SignWithOpenSsl(
            TestKeyType.Rsa2048, ["-nodetach", "-stream"], out byte[] encoded);

        // 30 80: the ContentInfo itself has an indefinite length, so this really is BER.
        Assert.Equal([0x30, 0x80], encoded[..2]);
        Assert.True(Check(decoded, decoded.SignerInfos[0], s_content).IsValid);
    }

    [Theory]
    [InlineData(TestKeyType.Rsa2048, "RSA PKCS#1 v1.5 with SHA-256")]
    [InlineData(TestKeyType.EcP384, "ECDSA with SHA-256")]
    public void CheckSignature_OpenSslWithoutAttributes_VerifiesOverContentDigest(
        TestKeyType keyType, string expectedAlgorithm)
    {
        (SignedData decoded, _) = SignWithOpenSsl(keyType, ["-noattr"]);
        SignerInfo info = decoded.SignerInfos[0];

        SignerCheck check = Check(decoded, info, s_content);
        SignerCheck changed = Check(decoded, info, s_content.AsSpan(1));

        Assert.Empty(info.SignedAttributes);
        Assert.Equal(expectedAlgorithm, info.SignatureAlgorithmName);
        Assert.True(check.IsValid, check.Failure);
        Assert.False(changed.IsValid);
        Assert.Contains("does not verify", changed.Failure);
    }

    [Theory]
    [InlineData("max")]
    [InlineData("20")]
    public void CheckSignature_OpenSslPssWithOtherSalt_VerifiesAndRefusesChangedContent(
        string saltLength)
    {
        // openssl's default salt is the maximum: 2048/8 - 32 - 2 = 222 bytes; .NET cannot
        // verify that, so BouncyCastle's PSS verifier stands in (PssWithSalt).
        (SignedData decoded, _) = SignWithOpenSsl(
            TestKeyType.Rsa2048,
            ["-keyopt", "rsa_padding_mode:pss", "-keyopt", $"rsa_pss_saltlen:{saltLength}"]);

        SignerCheck check = Check(decoded, decoded.SignerInfos[0], s_content);
        SignerCheck changed = Check(decoded, decoded.SignerInfos[0], s_content.AsSpan(1));

        Assert.Equal("RSASSA-PSS with SHA-256", decoded.SignerInfos[0].SignatureAlgorithmName);
        Assert.True(check.IsValid, check.Failure);
        Assert.False(changed.IsValid);
    }

    [Fact]
    public void CheckSignature_OpenSslSha1_VerifiesWithWarning()
    {
        (SignedData decoded, _) = SignWithOpenSsl(TestKeyType.Rsa2048, ["-md", "sha1"]);
        SignerInfo info = decoded.SignerInfos[0];

        SignerCheck check = Check(decoded, info, s_content);

        Assert.Equal(HashAlgorithmName.SHA1, info.DigestAlgorithm);
        Assert.Equal("RSA PKCS#1 v1.5 with SHA-1", info.SignatureAlgorithmName);
        Assert.True(check.IsValid, check.Failure);
        Assert.StartsWith("SHA-1 is weak", Assert.Single(check.Warnings));
    }

    [Fact]
    public void CheckSignature_OpenSslMd5_IsRefused()
    {
        (SignedData decoded, _) = SignWithOpenSsl(TestKeyType.Rsa2048, ["-md", "md5"]);
        SignerInfo info = decoded.SignerInfos[0];

        SignerCheck check = info.CheckSignature([], decoded.ContentType, decoded.Certificates);

        Assert.Equal(Oids.Md5, info.DigestAlgorithmOid);
        Assert.Null(info.DigestAlgorithm);
        Assert.DoesNotContain(decoded.DigestAlgorithms, h => h.Name == "MD5");
        Assert.False(check.IsValid);
        Assert.Equal("The digest algorithm MD5 is refused: it is broken (RFC 6151).", check.Failure);
    }

    [Fact]
    public void CheckSignature_OpenSslSignatureOverOtherContent_Fails()
    {
        (SignedData decoded, _) = SignWithOpenSsl(TestKeyType.EcP256, []);
        byte[] other = Encoding.ASCII.GetBytes("Something else entirely.\r\n");

        SignerCheck check = Check(decoded, decoded.SignerInfos[0], other);

        Assert.False(check.IsValid);
        Assert.Contains("messageDigest", check.Failure);
    }

    private static CmsSigner MakeSigner(
        TestKeyType keyType, bool pss, string hash, bool byKeyIdentifier) =>
        new(Signer(keyType))
        {
            DigestAlgorithm = Hash(hash),
            UsePss = pss,
            SigningTime = new DateTimeOffset(2030, 6, 15, 12, 34, 56, TimeSpan.Zero),
            IdentifierType = byKeyIdentifier
                ? SignerIdentifierType.SubjectKeyIdentifier
                : SignerIdentifierType.IssuerAndSerialNumber,
        };

    private static void WriteCommonFiles(TempDir dir)
    {
        TestPki.WritePem(TestPki.Shared.Root, dir.File("root.pem"));
        File.WriteAllBytes(dir.File("content.bin"), s_content);
    }

    private static (SignedData, X509Certificate2) SignWithOpenSsl(
        TestKeyType keyType, string[] options) => SignWithOpenSsl(keyType, options, out _);

    private static (SignedData, X509Certificate2) SignWithOpenSsl(
        TestKeyType keyType, string[] options, out byte[] encoded)
    {
        using var dir = new TempDir();
        X509Certificate2 certificate = Signer(keyType);
        TestPki.WritePem(certificate, dir.File("signer.pem"), dir.File("signer.key"));
        File.WriteAllBytes(dir.File("content.bin"), s_content);

        Peer.OpenSsl(dir.Path, [
            "cms", "-sign", "-binary", "-in", "content.bin", "-signer", "signer.pem",
            "-inkey", "signer.key", "-outform", "DER", "-out", "sig.der", .. options]);

        encoded = File.ReadAllBytes(dir.File("sig.der"));
        return (SignedData.Decode(encoded), certificate);
    }
}
