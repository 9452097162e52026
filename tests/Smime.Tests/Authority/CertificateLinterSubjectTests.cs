using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Authority;

namespace Smime.Tests.Authority;

/// <summary>Subjects whose attribute values do not decode as their string type.</summary>
public sealed class CertificateLinterSubjectTests
{
    [Fact]
    public void Lint_EmailAddressNotIa5_ErrorFindingNoThrow()
    {
        using X509Certificate2 certificate = SelfSigned(NonAsciiEmailAddress());

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        LintFinding finding = Assert.Single(findings, f => f.RuleId == "subject-attribute-malformed");
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal("RFC 5280 §4.1.2.6", finding.Source);
        Assert.Equal("The subject attribute 1.2.840.113549.1.9.1 is not a valid IA5String "
            + "(X.520); rules reading it were skipped.", finding.Message);
    }

    [Fact]
    public void ClaimedProfile_EmailAddressNotIa5_NullNoThrow()
    {
        using X509Certificate2 certificate = SelfSigned(NonAsciiEmailAddress());

        Assert.Null(CertificateLinter.ClaimedProfile(certificate));
    }

    [Fact]
    public void Read_EmailAddressNotIa5_OtherAttributesKept()
    {
        using X509Certificate2 certificate = SelfSigned(NonAsciiEmailAddress());

        LintTarget target = LintTarget.Read(certificate);

        Assert.Equal([("2.5.4.3", "Mallory")], target.SubjectAttributes);
        Assert.Equal([("1.2.840.113549.1.9.1", "IA5String")], target.MalformedSubjectAttributes);
    }

    // CN=Mallory, then an emailAddress IA5String with the byte 0x84 where '@' goes.
    private static X500DistinguishedName NonAsciiEmailAddress()
    {
        byte[] email = [.. "alice"u8, 0x84, .. "example.com"u8];
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("2.5.4.3");
                writer.WriteCharacterString(UniversalTagNumber.UTF8String, "Mallory");
            }

            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.9.1");
                writer.WriteEncodedValue([0x16, (byte)email.Length, .. email]);
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }

    private static X509Certificate2 SelfSigned(X500DistinguishedName subject)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }
}
