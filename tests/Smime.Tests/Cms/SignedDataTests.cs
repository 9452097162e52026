using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

public sealed class SignedDataTests
{
    private static readonly byte[] s_content =
        Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r\nHello, signed world.\r\n");

    public static TheoryData<TestKeyType, bool, string, string> Algorithms => new()
    {
        { TestKeyType.Rsa2048, false, "SHA256", "RSA PKCS#1 v1.5 with SHA-256" },
        { TestKeyType.Rsa2048, false, "SHA384", "RSA PKCS#1 v1.5 with SHA-384" },
        { TestKeyType.Rsa2048, false, "SHA512", "RSA PKCS#1 v1.5 with SHA-512" },
        { TestKeyType.Rsa2048, true, "SHA256", "RSASSA-PSS with SHA-256" },
        { TestKeyType.Rsa2048, true, "SHA384", "RSASSA-PSS with SHA-384" },
        { TestKeyType.Rsa2048, true, "SHA512", "RSASSA-PSS with SHA-512" },
        { TestKeyType.EcP256, false, "SHA256", "ECDSA with SHA-256" },
        { TestKeyType.EcP384, false, "SHA384", "ECDSA with SHA-384" },
        { TestKeyType.EcP521, false, "SHA512", "ECDSA with SHA-512" },
        { TestKeyType.EcP256, false, "SHA512", "ECDSA with SHA-512" },
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void CreateDetached_EachAlgorithm_RoundTripsAndVerifies(
        TestKeyType keyType, bool pss, string hash, string expectedName)
    {
        X509Certificate2 certificate = Signer(keyType);
        var signer = new CmsSigner(certificate) { DigestAlgorithm = Hash(hash), UsePss = pss };
        using var digests = new DigestingStream([Hash(hash)]);
        digests.Write(s_content);

        byte[] encoded = SignedData.CreateDetached([signer], digests);

        SignedData decoded = SignedData.Decode(encoded);
        Assert.Null(decoded.Content);
        Assert.Equal(Oids.Data, decoded.ContentType);
        Assert.Equal(1, decoded.Version);
        SignerInfo info = Assert.Single(decoded.SignerInfos);
        Assert.Equal(expectedName, info.SignatureAlgorithmName);
        Assert.Equal(Hash(hash), info.DigestAlgorithm);
        Assert.Equal(1, info.Version);
        Assert.Equal(SignerIdentifierType.IssuerAndSerialNumber, info.IdentifierType);
        Assert.Equal(certificate.IssuerName.Name, info.Issuer!.Name);
        Assert.True(info.Matches(certificate));
        SignerCheck check = Check(decoded, info, s_content);
        Assert.True(check.IsValid, check.Failure);
        Assert.Equal(certificate.RawData, check.Certificate!.RawData);
        Assert.Empty(check.Warnings);
        Assert.Null(check.Failure);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void CreateEncapsulated_EachAlgorithm_RoundTripsAndVerifies(
        TestKeyType keyType, bool pss, string hash, string expectedName)
    {
        var signer = new CmsSigner(Signer(keyType)) { DigestAlgorithm = Hash(hash), UsePss = pss };

        byte[] encoded = SignedData.CreateEncapsulated([signer], s_content);

        SignedData decoded = SignedData.Decode(encoded);
        Assert.Equal(s_content, decoded.Content!.Value.ToArray());
        SignerInfo info = Assert.Single(decoded.SignerInfos);
        Assert.Equal(expectedName, info.SignatureAlgorithmName);
        SignerCheck check = Check(decoded, info, decoded.Content.Value.Span);
        Assert.True(check.IsValid, check.Failure);
    }

    [Theory]
    [InlineData(TestKeyType.Rsa2048)]
    [InlineData(TestKeyType.EcP256)]
    public void CreateDetached_SubjectKeyIdentifier_WritesVersion3AndVerifies(TestKeyType keyType)
    {
        X509Certificate2 certificate = Signer(keyType);
        var signer = new CmsSigner(certificate)
        {
            IdentifierType = SignerIdentifierType.SubjectKeyIdentifier,
        };
        using var digests = new DigestingStream([HashAlgorithmName.SHA256]);
        digests.Write(s_content);

        SignedData decoded = SignedData.Decode(SignedData.CreateDetached([signer], digests));

        Assert.Equal(3, decoded.Version);
        SignerInfo info = Assert.Single(decoded.SignerInfos);
        Assert.Equal(3, info.Version);
        Assert.Equal(SignerIdentifierType.SubjectKeyIdentifier, info.IdentifierType);
        byte[] expected = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>()
            .Single().SubjectKeyIdentifierBytes.ToArray();
        Assert.Equal(expected, info.SubjectKeyIdentifier.ToArray());
        Assert.Null(info.Issuer);
        Assert.True(Check(decoded, info, s_content).IsValid);
    }

    [Fact]
    public void CreateDetached_TwoSigners_BothVerifyFromOneDigestingPass()
    {
        X509Certificate2 rsa = Signer(TestKeyType.Rsa2048);
        X509Certificate2 ec = Signer(TestKeyType.EcP384);
        CmsSigner[] signers =
        [
            new CmsSigner(rsa),
            new CmsSigner(ec)
            {
                DigestAlgorithm = HashAlgorithmName.SHA384,
                IdentifierType = SignerIdentifierType.SubjectKeyIdentifier,
            },
        ];
        using var digests = new DigestingStream(signers.Select(s => s.DigestAlgorithm));
        digests.Write(s_content);

        SignedData decoded = SignedData.Decode(SignedData.CreateDetached(signers, digests));

        Assert.Equal(2, decoded.SignerInfos.Count);
        Assert.Equal(2, decoded.Certificates.Count);
        Assert.Equal(
            [HashAlgorithmName.SHA256, HashAlgorithmName.SHA384],
            decoded.DigestAlgorithms.OrderBy(h => h.Name));
        using var verifying = new DigestingStream(decoded.DigestAlgorithms);
        verifying.Write(s_content);
        var verifiedBy = new List<string>();
        foreach (SignerInfo info in decoded.SignerInfos)
        {
            SignerCheck check = info.CheckSignature(
                verifying.GetDigest(info.DigestAlgorithm!.Value), decoded.ContentType,
                decoded.Certificates);
            Assert.True(check.IsValid, check.Failure);
            verifiedBy.Add(check.Certificate!.Subject);
        }

        Assert.Equal([ec.Subject, rsa.Subject], verifiedBy.Order());
    }

    [Fact]
    public void CreateDetached_SignedAttributes_HoldExactValues()
    {
        X509Certificate2 certificate = Signer(TestKeyType.Rsa2048);
        var time = new DateTimeOffset(2030, 6, 15, 12, 34, 56, TimeSpan.Zero);
        var signer = new CmsSigner(certificate) { SigningTime = time };
        using var digests = new DigestingStream([HashAlgorithmName.SHA256]);
        digests.Write(s_content);

        SignerInfo info = SignedData.Decode(SignedData.CreateDetached([signer], digests))
            .SignerInfos.Single();

        string[] expectedTypes =
        [
            Oids.ContentTypeAttribute, Oids.MessageDigestAttribute, Oids.SigningTimeAttribute,
            Oids.SmimeCapabilitiesAttribute, Oids.SigningCertificateV2Attribute,
        ];
        Assert.Equal(
            expectedTypes.Order(StringComparer.Ordinal),
            info.SignedAttributes.Select(a => a.Oid).Order(StringComparer.Ordinal));
        Assert.Equal(
            Oids.Data,
            new AsnReader(Value(info, Oids.ContentTypeAttribute), AsnEncodingRules.DER)
                .ReadObjectIdentifier());
        Assert.Equal(
            SHA256.HashData(s_content),
            new AsnReader(Value(info, Oids.MessageDigestAttribute), AsnEncodingRules.DER)
                .ReadOctetString());
        byte[] signingTime = Value(info, Oids.SigningTimeAttribute);
        Assert.Equal(0x17, signingTime[0]);
        Assert.Equal("300615123456Z", Encoding.ASCII.GetString(signingTime, 2, signingTime[1]));
        Assert.Equal(time, info.SigningTime);
        Assert.Empty(info.UnsignedAttributes);
    }

    [Fact]
    public void CreateDetached_SigningTimeIn2050_UsesGeneralizedTime()
    {
        var time = new DateTimeOffset(2050, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var signer = new CmsSigner(Signer(TestKeyType.EcP256)) { SigningTime = time };
        using var digests = new DigestingStream([HashAlgorithmName.SHA256]);
        digests.Write(s_content);

        SignerInfo info = SignedData.Decode(SignedData.CreateDetached([signer], digests))
            .SignerInfos.Single();

        byte[] signingTime = Value(info, Oids.SigningTimeAttribute);
        Assert.Equal(0x18, signingTime[0]);
        Assert.Equal("20500102030405Z", Encoding.ASCII.GetString(signingTime, 2, signingTime[1]));
        Assert.Equal(time, info.SigningTime);
    }

    [Fact]
    public void CreateDetached_SigningCertificateV2_HashesTheSignerCertificate()
    {
        X509Certificate2 certificate = Signer(TestKeyType.Rsa2048);
        using var digests = new DigestingStream([HashAlgorithmName.SHA256]);
        digests.Write(s_content);

        SignerInfo info = SignedData.Decode(SignedData.CreateDetached(
            [new CmsSigner(certificate)], digests)).SignerInfos.Single();

        var reader = new AsnReader(
            Value(info, Oids.SigningCertificateV2Attribute), AsnEncodingRules.DER);
        AsnReader essCertId = reader.ReadSequence().ReadSequence().ReadSequence();
        // hashAlgorithm is absent: SHA-256 is the DEFAULT (RFC 5035 §4).
        Assert.Equal(SHA256.HashData(certificate.RawData), essCertId.ReadOctetString());
        AsnReader issuerSerial = essCertId.ReadSequence();
        AsnReader generalNames = issuerSerial.ReadSequence();
        AsnReader directoryName =
            generalNames.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 4));
        Assert.Equal(certificate.IssuerName.RawData, directoryName.ReadEncodedValue().ToArray());
        Assert.Equal(
            certificate.SerialNumberBytes.ToArray(),
            issuerSerial.ReadIntegerBytes().ToArray());
    }

    [Fact]
    public void CreateDetached_Encoding_IsDerWithSortedAttributesAndAbsentDigestParameters()
    {
        X509Certificate2 certificate = Signer(TestKeyType.Rsa2048);
        var signer = new CmsSigner(certificate) { DigestAlgorithm = HashAlgorithmName.SHA384 };
        signer.ExtraCertificates.Add(TestPki.Shared.Root);
        signer.ExtraCertificates.Add(certificate);
        using var digests = new DigestingStream([HashAlgorithmName.SHA384]);
        digests.Write(s_content);

        byte[] encoded = SignedData.CreateDetached([signer], digests);

        // The DER reader refuses unsorted SET OFs and non-minimal lengths.
        var contentInfo = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        Assert.Equal(Oids.SignedData, contentInfo.ReadObjectIdentifier());
        AsnReader signedData = contentInfo
            .ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        Assert.Equal(1, (int)signedData.ReadInteger());
        AsnReader digestAlgorithm = signedData.ReadSetOf().ReadSequence();
        Assert.Equal(Oids.Sha384, digestAlgorithm.ReadObjectIdentifier());
        Assert.False(digestAlgorithm.HasData);

        SignedData decoded = SignedData.Decode(encoded);
        Assert.Equal(2, decoded.Certificates.Count);
        SignerInfo info = decoded.SignerInfos.Single();
        Assert.Equal(5, info.SignedAttributes.Count);
        var attributes = new AsnReader(SignedAttributesAsSet(encoded), AsnEncodingRules.DER);
        AsnReader set = attributes.ReadSetOf();
        for (int i = 0; i < 5; i++)
        {
            set.ReadSequence();
        }

        Assert.False(set.HasData);
        Assert.Equal("0500", AlgorithmParametersOf(encoded, Oids.Sha384WithRsa));
    }

    [Fact]
    public void CreateDetached_NoSubjectKeyIdentifierExtension_ThrowsArgumentException()
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=no-ski@example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 certificate = request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var signer = new CmsSigner(certificate)
        {
            IdentifierType = SignerIdentifierType.SubjectKeyIdentifier,
        };
        using var digests = new DigestingStream([HashAlgorithmName.SHA256]);

        var e = Assert.Throws<ArgumentException>(() => SignedData.CreateDetached([signer], digests));

        Assert.Contains("CN=no-ski@example.com", e.Message);
    }

    [Fact]
    public void CreateDetached_Sha1Digest_ThrowsNotSupported()
    {
        var signer = new CmsSigner(Signer(TestKeyType.Rsa2048))
        {
            DigestAlgorithm = HashAlgorithmName.SHA1,
        };
        using var digests = new DigestingStream([HashAlgorithmName.SHA1]);

        Assert.Throws<NotSupportedException>(() => SignedData.CreateDetached([signer], digests));
    }

    [Fact]
    public void CreateDetached_NoSigners_ThrowsArgumentException()
    {
        using var digests = new DigestingStream([HashAlgorithmName.SHA256]);

        Assert.Throws<ArgumentException>(() => SignedData.CreateDetached([], digests));
    }

    [Fact]
    public void CreateEncapsulated_OtherContentType_WritesVersion3AndChecksContentType()
    {
        const string tstInfo = "1.2.840.113549.1.9.16.1.4";
        var signer = new CmsSigner(Signer(TestKeyType.EcP256));

        SignedData decoded = SignedData.Decode(
            SignedData.CreateEncapsulated([signer], s_content, tstInfo));

        Assert.Equal(3, decoded.Version);
        Assert.Equal(tstInfo, decoded.ContentType);
        SignerInfo info = decoded.SignerInfos.Single();
        Assert.True(Check(decoded, info, s_content).IsValid);
        SignerCheck wrongType = info.CheckSignature(
            SHA256.HashData(s_content), Oids.Data, decoded.Certificates);
        Assert.False(wrongType.IsValid);
        Assert.Contains("contentType", wrongType.Failure);
    }

    [Fact]
    public void CreateCertificatesOnly_TwoCertificates_DecodesWithoutSigners()
    {
        X509Certificate2 user = Signer(TestKeyType.Rsa2048);

        byte[] encoded = SignedData.CreateCertificatesOnly([user, TestPki.Shared.Root, user]);

        SignedData decoded = SignedData.Decode(encoded);
        Assert.Empty(decoded.SignerInfos);
        Assert.Empty(decoded.DigestAlgorithms);
        Assert.Equal(Oids.Data, decoded.ContentType);
        Assert.Null(decoded.Content);
        Assert.Equal(1, decoded.Version);
        Assert.Equal(
            new[] { user.Thumbprint, TestPki.Shared.Root.Thumbprint }.Order(),
            decoded.Certificates.Select(c => c.Thumbprint).Order());
    }

    private static byte[] Value(SignerInfo info, string oid) =>
        info.SignedAttributes.Single(a => a.Oid == oid).Values.Single().ToArray();

    // Finds the SignerInfo's [0] signed attributes in our own DER and re-tags them as a SET.
    private static byte[] SignedAttributesAsSet(byte[] encoded)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        reader.ReadObjectIdentifier();
        AsnReader signedData = reader
            .ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        signedData.ReadInteger();
        signedData.ReadSetOf();
        signedData.ReadSequence();
        signedData.ReadSetOf(new Asn1Tag(TagClass.ContextSpecific, 0));
        AsnReader signerInfo = signedData.ReadSetOf().ReadSequence();
        signerInfo.ReadInteger();
        signerInfo.ReadSequence();
        signerInfo.ReadSequence();
        byte[] attributes = signerInfo.ReadEncodedValue().ToArray();
        Assert.Equal(0xA0, attributes[0]);
        attributes[0] = 0x31;
        return attributes;
    }

    private static string AlgorithmParametersOf(byte[] encoded, string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        byte[] oidBytes = writer.Encode();
        int at = encoded.AsSpan().IndexOf(oidBytes);
        Assert.True(at > 0);
        return Convert.ToHexString(encoded, at + oidBytes.Length, 2);
    }
}
