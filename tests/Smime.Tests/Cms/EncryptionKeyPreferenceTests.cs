using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Tests.Support;
using static Smime.Tests.Cms.CmsTestCertificates;

namespace Smime.Tests.Cms;

/// <summary>The SMIMEEncryptionKeyPreference attribute (RFC 8551 §2.5.3).</summary>
public sealed class EncryptionKeyPreferenceTests
{
    private static readonly byte[] s_content = [0x4D, 0x49, 0x4D, 0x45];

    [Fact]
    public void CreateEncapsulated_OtherEncryptionCertificate_NamedByIssuerAndSerial()
    {
        // An Ed25519 signing certificate cannot receive mail; its owner's RSA one can.
        X509Certificate2 encryption = Signer(TestKeyType.Rsa2048);
        var signer = new CmsSigner(SignedDataEd25519Tests.Key)
        {
            EncryptionCertificate = encryption,
        };

        SignedData signedData = SignedData.Decode(
            SignedData.CreateEncapsulated([signer], s_content));
        SignerInfo info = signedData.SignerInfos.Single();
        CmsAttribute attribute =
            info.SignedAttributes.Single(a => a.Oid == Oids.EncryptionKeyPreferenceAttribute);
        EncryptionKeyPreference preference = info.EncryptionKeyPreference!;

        Assert.Equal(ExpectedIssuerAndSerial(encryption), attribute.Values.Single().ToArray());
        Assert.Equal(SignerIdentifierType.IssuerAndSerialNumber, preference.IdentifierType);
        Assert.Equal(encryption.IssuerName.Name, preference.Issuer!.Name);
        Assert.True(preference.Matches(encryption));
        Assert.False(preference.Matches(SignedDataEd25519Tests.Key.Certificate));
        Assert.False(preference.Matches(Signer(TestKeyType.Rsa3072)));
        Assert.Contains(signedData.Certificates, c => c.RawData.SequenceEqual(encryption.RawData));
        Assert.True(Check(signedData, info, s_content).IsValid);
    }

    [Fact]
    public void CreateEncapsulated_EncryptionCertificateIsTheSigningOne_NoAttribute()
    {
        X509Certificate2 certificate = Signer(TestKeyType.EcP256);
        var signer = new CmsSigner(certificate) { EncryptionCertificate = certificate };

        SignerInfo info = SignedData.Decode(SignedData.CreateEncapsulated([signer], s_content))
            .SignerInfos.Single();

        Assert.Null(info.EncryptionKeyPreference);
        Assert.DoesNotContain(
            info.SignedAttributes, a => a.Oid == Oids.EncryptionKeyPreferenceAttribute);
    }

    [Fact]
    public void CreateEncapsulated_NoEncryptionCertificate_NoAttribute()
    {
        SignerInfo info = SignedData.Decode(SignedData.CreateEncapsulated(
            [new CmsSigner(Signer(TestKeyType.Rsa2048))], s_content)).SignerInfos.Single();

        Assert.Null(info.EncryptionKeyPreference);
    }

    [Fact]
    public void TryDecode_SubjectAltKeyIdentifier_MatchesByKeyIdentifier()
    {
        X509Certificate2 certificate = Signer(TestKeyType.EcP384);
        byte[] keyIdentifier = KeyIdentifier(certificate);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(keyIdentifier, new Asn1Tag(TagClass.ContextSpecific, 2));

        EncryptionKeyPreference preference = EncryptionKeyPreference.TryDecode(writer.Encode())!;

        Assert.Equal(SignerIdentifierType.SubjectKeyIdentifier, preference.IdentifierType);
        Assert.Equal(keyIdentifier, preference.SubjectKeyIdentifier.ToArray());
        Assert.Null(preference.Issuer);
        Assert.True(preference.Matches(certificate));
        Assert.False(preference.Matches(Signer(TestKeyType.EcP256)));
    }

    [Fact]
    public void TryDecode_RecipientKeyIdentifierWithDate_MatchesByKeyIdentifier()
    {
        X509Certificate2 certificate = Signer(TestKeyType.Rsa3072);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
        {
            writer.WriteOctetString(KeyIdentifier(certificate));
            writer.WriteGeneralizedTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }

        EncryptionKeyPreference preference = EncryptionKeyPreference.TryDecode(writer.Encode())!;

        Assert.True(preference.Matches(certificate));
        Assert.False(preference.Matches(Signer(TestKeyType.Rsa2048)));
    }

    [Theory]
    [InlineData("A303020101")]   // [3]: no such choice
    [InlineData("3003020101")]   // a bare SEQUENCE, not [0]
    [InlineData("A0050201010500")] // [0] whose issuer is not a Name
    [InlineData("8201000500")]   // [2] with trailing bytes
    [InlineData("")]
    public void TryDecode_Malformed_Null(string hex)
    {
        Assert.Null(EncryptionKeyPreference.TryDecode(Convert.FromHexString(hex)));
    }

    private static byte[] KeyIdentifier(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single()
            .SubjectKeyIdentifierBytes.ToArray();

    // [0] IMPLICIT IssuerAndSerialNumber: A0, the issuer Name, the serial INTEGER.
    private static byte[] ExpectedIssuerAndSerial(X509Certificate2 certificate)
    {
        byte[] issuer = certificate.IssuerName.RawData;
        byte[] serial = certificate.SerialNumberBytes.ToArray();
        byte[] integer = [0x02, (byte)serial.Length, .. serial];
        int length = issuer.Length + integer.Length;
        Assert.True(length < 0x80);
        return [0xA0, (byte)length, .. issuer, .. integer];
    }
}
