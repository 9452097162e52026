using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

/// <summary>
/// SignedData assembled by hand with a BER AsnWriter, to reach shapes our own writer never
/// makes: unsorted signed attributes, other certificate choices, no signed attributes.
/// </summary>
public sealed class SignedDataHandMadeTests
{
    private static readonly byte[] s_content = Encoding.ASCII.GetBytes("Hand-made content.\r\n");
    private static readonly Asn1Tag s_context0 = new(TagClass.ContextSpecific, 0, true);

    [Fact]
    public void CheckSignature_UnsortedSignedAttributes_HashesTheBytesAsReceived()
    {
        // messageDigest before contentType is not DER order; RFC 5652 §5.4 has the verifier
        // hash what it received, so re-sorting would break this signature.
        X509Certificate2 certificate = Signer(TestKeyType.Rsa2048);
        var attributes = new AsnWriter(AsnEncodingRules.BER);
        using (attributes.PushSetOf())
        {
            WriteAttribute(attributes, Oids.MessageDigestAttribute,
                w => w.WriteOctetString(SHA256.HashData(s_content)));
            WriteAttribute(attributes, Oids.ContentTypeAttribute,
                w => w.WriteObjectIdentifier(Oids.Data));
        }

        byte[] set = attributes.Encode();
        byte[] encoded = Build(certificate, set, Sign(certificate, set));

        SignedData decoded = SignedData.Decode(encoded);
        SignerInfo info = decoded.SignerInfos.Single();
        SignerCheck check = Check(decoded, info, s_content);

        Assert.Equal(
            [Oids.MessageDigestAttribute, Oids.ContentTypeAttribute],
            info.SignedAttributes.Select(a => a.Oid));
        Assert.True(check.IsValid, check.Failure);
    }

    [Fact]
    public void CheckSignature_MessageDigestMissing_FailsNamingIt()
    {
        X509Certificate2 certificate = Signer(TestKeyType.Rsa2048);
        var attributes = new AsnWriter(AsnEncodingRules.BER);
        using (attributes.PushSetOf())
        {
            WriteAttribute(attributes, Oids.ContentTypeAttribute,
                w => w.WriteObjectIdentifier(Oids.Data));
        }

        byte[] set = attributes.Encode();
        SignedData decoded = SignedData.Decode(Build(certificate, set, Sign(certificate, set)));

        SignerCheck check = Check(decoded, decoded.SignerInfos[0], s_content);

        Assert.False(check.IsValid);
        Assert.Equal(
            "The signed attributes lack the messageDigest attribute that RFC 5652 §5.3 requires.",
            check.Failure);
    }

    [Fact]
    public void CheckSignature_NoSignedAttributes_VerifiesOverTheContentDigest()
    {
        X509Certificate2 certificate = Signer(TestKeyType.Rsa2048);
        using RSA key = certificate.GetRSAPrivateKey()!;
        byte[] signature = key.SignHash(
            SHA256.HashData(s_content), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        SignedData decoded = SignedData.Decode(Build(certificate, null, signature));
        SignerInfo info = decoded.SignerInfos.Single();

        Assert.Empty(info.SignedAttributes);
        Assert.Null(info.SigningTime);
        Assert.True(Check(decoded, info, s_content).IsValid);
        Assert.False(Check(decoded, info, "other"u8).IsValid);
    }

    [Fact]
    public void Decode_AttributeCertificateChoice_IsSkipped()
    {
        X509Certificate2 certificate = Signer(TestKeyType.Rsa2048);
        using RSA key = certificate.GetRSAPrivateKey()!;
        byte[] signature = key.SignHash(
            SHA256.HashData(s_content), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        SignedData decoded = SignedData.Decode(
            Build(certificate, null, signature, extraCertificateChoice: [0xA2, 0x02, 0x05, 0x00]));

        Assert.Equal(certificate.RawData, Assert.Single(decoded.Certificates).RawData);
    }

    [Fact]
    public void Decode_SeventeenSigners_ThrowsNamingTheLimit()
    {
        X509Certificate2 certificate = Signer(TestKeyType.Rsa2048);
        byte[] encoded = Build(certificate, null, [1, 2, 3], signerCount: CmsLimits.MaxSigners + 1);

        var e = Assert.Throws<CryptographicException>(() => SignedData.Decode(encoded));

        Assert.Contains($"more than {CmsLimits.MaxSigners} SignerInfos", e.Message);
    }

    private static void WriteAttribute(AsnWriter writer, string oid, Action<AsnWriter> value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSetOf())
            {
                value(writer);
            }
        }
    }

    private static byte[] Sign(X509Certificate2 certificate, byte[] signedAttributesSet)
    {
        using RSA key = certificate.GetRSAPrivateKey()!;
        return key.SignData(signedAttributesSet, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    // ContentInfo { signedData, SignedData { 1, {sha256}, {id-data}, [0] certs, {SignerInfo} } }
    private static byte[] Build(
        X509Certificate2 certificate,
        byte[]? signedAttributesSet,
        byte[] signature,
        byte[]? extraCertificateChoice = null,
        int signerCount = 1)
    {
        var writer = new AsnWriter(AsnEncodingRules.BER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oids.SignedData);
            using (writer.PushSequence(s_context0))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                using (writer.PushSetOf())
                {
                    WriteAlgorithm(writer, Oids.Sha256, withNull: false);
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(Oids.Data);
                }

                using (writer.PushSetOf(s_context0))
                {
                    writer.WriteEncodedValue(certificate.RawData);
                    if (extraCertificateChoice is not null)
                    {
                        writer.WriteEncodedValue(extraCertificateChoice);
                    }
                }

                using (writer.PushSetOf())
                {
                    for (int i = 0; i < signerCount; i++)
                    {
                        WriteSignerInfo(writer, certificate, signedAttributesSet, signature);
                    }
                }
            }
        }

        return writer.Encode();
    }

    private static void WriteSignerInfo(
        AsnWriter writer,
        X509Certificate2 certificate,
        byte[]? signedAttributesSet,
        byte[] signature)
    {
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            using (writer.PushSequence())
            {
                writer.WriteEncodedValue(certificate.IssuerName.RawData);
                writer.WriteInteger(certificate.SerialNumberBytes.Span);
            }

            WriteAlgorithm(writer, Oids.Sha256, withNull: false);
            if (signedAttributesSet is not null)
            {
                byte[] implicitTagged = (byte[])signedAttributesSet.Clone();
                implicitTagged[0] = 0xA0;
                writer.WriteEncodedValue(implicitTagged);
            }

            WriteAlgorithm(writer, Oids.Sha256WithRsa, withNull: true);
            writer.WriteOctetString(signature);
        }
    }

    private static void WriteAlgorithm(AsnWriter writer, string oid, bool withNull)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (withNull)
            {
                writer.WriteNull();
            }
        }
    }
}
