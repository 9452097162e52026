using System.Buffers.Binary;
using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

public sealed class SignedDataTamperTests
{
    private static readonly byte[] s_content = Encoding.ASCII.GetBytes("Pay Bob 100 EUR.\r\n");
    private static readonly DateTimeOffset s_time = new(2030, 6, 15, 12, 34, 56, TimeSpan.Zero);

    [Fact]
    public void CheckSignature_ContentChanged_FailsOnMessageDigest()
    {
        SignedData decoded = SignedData.Decode(Sign(TestKeyType.Rsa2048));
        byte[] changed = Encoding.ASCII.GetBytes("Pay Bob 900 EUR.\r\n");

        SignerCheck check = Check(decoded, decoded.SignerInfos[0], changed);

        Assert.False(check.IsValid);
        Assert.Contains("messageDigest", check.Failure);
        Assert.Equal(Signer(TestKeyType.Rsa2048).RawData, check.Certificate!.RawData);
    }

    [Theory]
    [InlineData(TestKeyType.Rsa2048)]
    [InlineData(TestKeyType.EcP384)]
    public void CheckSignature_SignatureByteFlipped_Fails(TestKeyType keyType)
    {
        byte[] encoded = Sign(keyType);
        byte[] signature = SignedData.Decode(encoded).SignerInfos[0].Signature.ToArray();
        byte[] flipped = (byte[])signature.Clone();
        flipped[^5] ^= 0x01;

        SignedData decoded = SignedData.Decode(ReplaceOnce(encoded, signature, flipped));
        SignerCheck check = Check(decoded, decoded.SignerInfos[0], s_content);

        Assert.False(check.IsValid);
        Assert.Contains("does not verify", check.Failure);
        Assert.Equal(Signer(keyType).RawData, check.Certificate!.RawData);
    }

    [Fact]
    public void CheckSignature_SigningTimeChanged_Fails()
    {
        byte[] encoded = Sign(TestKeyType.Rsa2048);
        byte[] tampered = ReplaceOnce(encoded,
            Encoding.ASCII.GetBytes("300615123456Z"), Encoding.ASCII.GetBytes("300615123457Z"));

        SignedData decoded = SignedData.Decode(tampered);
        SignerCheck check = Check(decoded, decoded.SignerInfos[0], s_content);

        Assert.Equal(s_time.AddSeconds(1), decoded.SignerInfos[0].SigningTime);
        Assert.False(check.IsValid);
        Assert.Contains("does not verify", check.Failure);
    }

    [Fact]
    public void CheckSignature_OnlyAnUnrelatedCertificate_SaysNoneMatches()
    {
        SignedData decoded = SignedData.Decode(Sign(TestKeyType.Rsa2048));

        SignerCheck check = Check(
            decoded, decoded.SignerInfos[0], s_content, [Signer(TestKeyType.EcP256)]);

        Assert.False(check.IsValid);
        Assert.Null(check.Certificate);
        Assert.StartsWith(
            "No certificate matches the signer (issuer CN=smime Test Root", check.Failure);
    }

    [Fact]
    public void CheckSignature_ImpostorSharesKeyIdentifier_TriesEveryMatchingCertificate()
    {
        X509Certificate2 real = Signer(TestKeyType.Rsa2048);
        SignedData decoded = SignedData.Decode(Sign(TestKeyType.Rsa2048, byKeyIdentifier: true));
        SignerInfo info = decoded.SignerInfos[0];
        using X509Certificate2 impostor = SelfSignedWithKeyIdentifier(info.SubjectKeyIdentifier);
        Assert.True(info.Matches(impostor));

        SignerCheck both = Check(decoded, info, s_content, [impostor, real]);
        SignerCheck impostorOnly = Check(decoded, info, s_content, [impostor]);

        Assert.True(both.IsValid, both.Failure);
        Assert.Equal(real.RawData, both.Certificate!.RawData);
        Assert.False(impostorOnly.IsValid);
        Assert.Equal(impostor.RawData, impostorOnly.Certificate!.RawData);
    }

    [Fact]
    public void CheckSignature_Md5WithRsaSignatureAlgorithm_IsRefusedNamingMd5()
    {
        // sha384WithRSAEncryption (…1.1.12) becomes md5WithRSAEncryption (…1.1.4); the test
        // certificates are signed with SHA-256, so the OID occurs once, in the SignerInfo.
        byte[] encoded = ReplaceOnce(
            Sign(TestKeyType.Rsa2048, HashAlgorithmName.SHA384),
            Oid(Oids.Sha384WithRsa), Oid(Oids.Md5WithRsa));

        SignedData decoded = SignedData.Decode(encoded);
        SignerCheck check = Check(decoded, decoded.SignerInfos[0], s_content);

        Assert.Equal("RSA PKCS#1 v1.5 with MD5", decoded.SignerInfos[0].SignatureAlgorithmName);
        Assert.False(check.IsValid);
        Assert.Contains("MD5", check.Failure);
    }

    [Fact]
    public void CheckSignature_UnknownSignatureAlgorithm_FailsNamingTheOid()
    {
        byte[] encoded = ReplaceOnce(
            Sign(TestKeyType.Rsa2048, HashAlgorithmName.SHA384),
            Oid(Oids.Sha384WithRsa), Oid("1.2.840.113549.1.1.127"));

        SignedData decoded = SignedData.Decode(encoded);
        SignerCheck check = Check(decoded, decoded.SignerInfos[0], s_content);

        Assert.False(check.IsValid);
        Assert.Equal(
            "The signature algorithm 1.2.840.113549.1.1.127 is not supported.", check.Failure);
    }

    [Fact]
    public void CheckSignature_UnknownDigestAlgorithm_FailsNamingTheOid()
    {
        byte[] encoded = Sign(TestKeyType.EcP384, HashAlgorithmName.SHA384);
        byte[] sha384 = Oid(Oids.Sha384);
        byte[] unknown = Oid("2.16.840.1.101.3.4.2.127");
        int at;
        while ((at = encoded.AsSpan().IndexOf(sha384)) >= 0)
        {
            unknown.CopyTo(encoded, at);
        }

        SignedData decoded = SignedData.Decode(encoded);
        SignerInfo info = decoded.SignerInfos[0];
        SignerCheck check = info.CheckSignature([], decoded.ContentType, decoded.Certificates);

        Assert.Null(info.DigestAlgorithm);
        Assert.Empty(decoded.DigestAlgorithms);
        Assert.False(check.IsValid);
        Assert.Equal(
            "The digest algorithm 2.16.840.1.101.3.4.2.127 is not supported.", check.Failure);
    }

    [Fact]
    public void Decode_CertificatesOnly_HasZeroSignerInfos()
    {
        SignedData decoded = SignedData.Decode(
            SignedData.CreateCertificatesOnly([Signer(TestKeyType.EcP256)]));

        Assert.Empty(decoded.SignerInfos);
        Assert.Single(decoded.Certificates);
    }

    [Fact]
    public void Decode_EveryTruncation_ThrowsCryptographicException()
    {
        byte[] encoded = Sign(TestKeyType.EcP256, encapsulate: true);

        for (int length = 0; length < encoded.Length; length++)
        {
            ReadOnlyMemory<byte> prefix = encoded.AsMemory(0, length);
            Assert.Throws<CryptographicException>(() => SignedData.Decode(prefix));
        }
    }

    [Fact]
    public void Decode_RandomByteChanges_OnlyEverThrowCryptographicException()
    {
        byte[] encoded = Sign(TestKeyType.EcP256, encapsulate: true);
        var random = new Random(5652);

        for (int round = 0; round < 3000; round++)
        {
            byte[] mutated = (byte[])encoded.Clone();
            for (int changes = random.Next(1, 4); changes > 0; changes--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            SignedData decoded;
            try
            {
                decoded = SignedData.Decode(mutated);
            }
            catch (CryptographicException)
            {
                continue;
            }

            foreach (SignerInfo info in decoded.SignerInfos)
            {
                byte[] content = decoded.Content?.ToArray() ?? s_content;
                SignerCheck check = Check(decoded, info, content);
                Assert.True(check.IsValid || check.Failure is not null);

                // A change may land in the certificates or an unused field and leave the
                // signature good, but never one that alters the signed content.
                if (check.IsValid)
                {
                    Assert.Equal(s_content, content);
                }
            }
        }
    }

    [Theory]
    [InlineData("3084FFFFFFFF06092A864886F70D010702")]
    [InlineData("301306092A864886F70D010702A084FFFFFFFF3000")]
    [InlineData("308906092A864886F70D010702")]
    [InlineData("")]
    [InlineData("0500")]
    public void Decode_AbsurdOrBrokenLengths_ThrowsCryptographicException(string hex)
    {
        Assert.Throws<CryptographicException>(() => SignedData.Decode(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData("2480", "0401410000")]
    [InlineData("3080", "0000")]
    [InlineData("A080", "0000")]
    public void Decode_NestedTenThousandDeep_ThrowsQuickly(string open, string close)
    {
        // ContentInfo { signedData, [0] { SEQUENCE { 1, {}, { id-data, [0] { x } } } } } with
        // x nested 10000 deep, all in indefinite lengths: the shape of a stack-exhaustion attack.
        const int depth = 10_000;
        var hex = new StringBuilder("308006092A864886F70D010702A080" + "3080020101" + "3100" +
            "308006092A864886F70D010701A080");
        hex.Insert(hex.Length, open, depth);
        hex.Append(close);
        hex.Insert(hex.Length, "0000", depth - 1);
        hex.Append("0000" + "0000" + "0000" + "0000" + "0000");
        byte[] encoded = Convert.FromHexString(hex.ToString());
        var timer = Stopwatch.StartNew();

        Assert.Throws<CryptographicException>(() => SignedData.Decode(encoded));

        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(20), $"Took {timer.Elapsed}.");
    }

    [Fact]
    public void Decode_HugeObjectIdentifier_ThrowsQuickly()
    {
        // ContentInfo whose contentType is 1.2 and then one arc of a megabyte: costly to turn
        // into text if read naively. 30 84 len, 06 83 len, 2A FF FF ... 01.
        const int oidLength = 0x100001;
        byte[] encoded = new byte[6 + 5 + oidLength];
        encoded[0] = 0x30;
        encoded[1] = 0x84;
        BinaryPrimitives.WriteInt32BigEndian(encoded.AsSpan(2), 5 + oidLength);
        new byte[] { 0x06, 0x83, 0x10, 0x00, 0x01, 0x2A }.CopyTo(encoded, 6);
        encoded.AsSpan(12, oidLength - 2).Fill(0xFF);
        encoded[^1] = 0x01;
        var timer = Stopwatch.StartNew();

        Assert.Throws<CryptographicException>(() => SignedData.Decode(encoded));

        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(20), $"Took {timer.Elapsed}.");
    }

    private static byte[] Sign(
        TestKeyType keyType,
        HashAlgorithmName? hash = null,
        bool byKeyIdentifier = false,
        bool encapsulate = false)
    {
        var signer = new CmsSigner(Signer(keyType))
        {
            DigestAlgorithm = hash ?? HashAlgorithmName.SHA256,
            SigningTime = s_time,
            IdentifierType = byKeyIdentifier
                ? SignerIdentifierType.SubjectKeyIdentifier
                : SignerIdentifierType.IssuerAndSerialNumber,
        };
        if (encapsulate)
        {
            return SignedData.CreateEncapsulated([signer], s_content);
        }

        using var digests = new DigestingStream([signer.DigestAlgorithm]);
        digests.Write(s_content);
        return SignedData.CreateDetached([signer], digests);
    }

    private static byte[] Oid(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        return writer.Encode();
    }

    private static X509Certificate2 SelfSignedWithKeyIdentifier(ReadOnlyMemory<byte> keyIdentifier)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=impostor@example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(keyIdentifier.Span, false));
        return request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
