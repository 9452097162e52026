using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Authority;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Authority;

public sealed class CertificateLinterTests
{
    private const LintSeverity E = LintSeverity.Error;
    private const LintSeverity W = LintSeverity.Warning;
    private const LintSeverity N = LintSeverity.Notice;

    private static readonly (string, string)[] s_mailboxSubject =
        [("2.5.4.3", "alice@example.com")];

    public static TheoryData<string> AllProfiles()
    {
        var data = new TheoryData<string>();
        foreach (SmimeProfile profile in SmimeProfiles.All)
        {
            data.Add(profile.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllProfiles))]
    public void Lint_CompliantRsaCertificateOfEachProfile_NoFinding(string name)
    {
        SmimeProfile profile = SmimeProfiles.Parse(name);
        using X509Certificate2 certificate = LintCertificates.Issue(Compliant(profile));

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Empty(findings);
    }

    [Theory]
    [InlineData("mailbox-strict")]
    [InlineData("organization-multipurpose")]
    [InlineData("sponsor-strict")]
    [InlineData("individual-multipurpose")]
    public void Lint_CompliantEcCertificate_NoFinding(string name)
    {
        SmimeProfile profile = SmimeProfiles.Parse(name);
        LintCertificateSpec spec = Compliant(profile) with { Curve = ECCurve.NamedCurves.nistP384 };
        using X509Certificate2 certificate = LintCertificates.Issue(spec);

        Assert.Empty(CertificateLinter.Lint(certificate));
    }

    [Theory]
    [InlineData(X509KeyUsageFlags.DigitalSignature)]
    [InlineData(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)]
    [InlineData(X509KeyUsageFlags.KeyEncipherment)]
    public void Lint_RsaSigningOrEncryptionOnly_NoFinding(X509KeyUsageFlags usage)
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec { KeyUsage = usage });

        Assert.Empty(CertificateLinter.Lint(certificate));
    }

    [Fact]
    public void Lint_ServerAuthInsteadOfEmailProtection_TwoErrors()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Ekus = [LintCertificateSpec.ServerAuth],
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("eku-missing-email-protection", E), ("eku-not-allowed", E)], Ids(findings));
        Assert.Equal("RFC 8550 §4.4.4", findings[0].Source);
        Assert.Contains("serverAuth", findings[0].Message);
        Assert.Equal("CABF S/MIME BR §7.1.2.3 (f)", findings[1].Source);
    }

    [Fact]
    public void Lint_MultipurposeWithServerAuthBesideEmailProtection_EkuNotAllowed()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Policies = ["2.23.140.1.5.1.2"],
            Ekus = [LintCertificateSpec.EmailProtection, LintCertificateSpec.ServerAuth],
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("eku-not-allowed", E)], Ids(findings));
        Assert.Equal(
            "extendedKeyUsage has serverAuth, which mailbox-multipurpose does not allow.",
            findings[0].Message);
    }

    [Fact]
    public void Lint_MultipurposeWithClientAuth_NoFindingButStrictRefusesIt()
    {
        LintCertificateSpec spec = new()
        {
            Ekus = [LintCertificateSpec.EmailProtection, LintCertificateSpec.ClientAuth],
        };
        using X509Certificate2 multipurpose = Issue(spec with { Policies = ["2.23.140.1.5.1.2"] });
        using X509Certificate2 strict = Issue(spec);

        Assert.Empty(CertificateLinter.Lint(multipurpose));
        Assert.Equal([("eku-not-allowed", E)], Ids(CertificateLinter.Lint(strict)));
    }

    [Fact]
    public void Lint_NoExtendedKeyUsage_EkuMissing()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec { Ekus = null });

        Assert.Equal([("eku-missing", E)], Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_NoSubjectAltName_SanMissing()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Policies = ["2.23.140.1.5.4.3"],
            Subject = IndividualSubject(),
            Emails = null,
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("san-missing", E)], Ids(findings));
        Assert.Equal("RFC 8550 §3", findings[0].Source);
    }

    [Fact]
    public void Lint_MailboxCommonNameWithoutSubjectAltName_SanMissingAndCommonName()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec { Emails = null });

        Assert.Equal(
            [("san-missing", E), ("subject-cn-not-mailbox", E)],
            Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_SubjectAltNameWithDnsNameOnly_NoRfc822NameAndNameKindNotAllowed()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Policies = ["2.23.140.1.5.4.3"],
            Subject = IndividualSubject(),
            Emails = [],
            DnsNames = ["mail.example.com"],
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("san-no-rfc822name", E), ("san-name-not-allowed", E)], Ids(findings));
        Assert.Equal("subjectAltName holds no rfc822Name or SmtpUTF8Mailbox, only dNSName.",
            findings[0].Message);
    }

    [Fact]
    public void Lint_AddressOnlyInSubjectEmailAddress_EmailOnlyInSubject()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Policies = ["2.23.140.1.5.4.3"],
            Subject = [.. IndividualSubject(), ("1.2.840.113549.1.9.1", "alice@example.com")],
            Emails = null,
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("email-only-in-subject", E)], Ids(findings));
        Assert.Equal("RFC 5280 §4.1.2.6", findings[0].Source);
        Assert.Contains("'alice@example.com'", findings[0].Message);
    }

    [Fact]
    public void Lint_SubjectEmailAddressRepeatingSubjectAltName_NoticeOnly()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Subject = [.. s_mailboxSubject, ("1.2.840.113549.1.9.1", "alice@example.com")],
        });

        Assert.Equal(
            [("email-in-subject-deprecated", N)],
            Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_SmtpUtf8MailboxWithNonAsciiLocalPart_NoFinding()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Subject = [("2.5.4.3", "\u00e9lodie@example.com")],
            Emails = [],
            SmtpUtf8Mailboxes = ["\u00e9lodie@example.com"],
        });

        Assert.Empty(CertificateLinter.Lint(certificate));
    }

    [Fact]
    public void Lint_SmtpUtf8MailboxWithAsciiAddress_SmtpUtf8MailboxAscii()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            SmtpUtf8Mailboxes = ["alice@example.com"],
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("smtputf8-mailbox-ascii", E)], Ids(findings));
        Assert.Equal("RFC 9598 §3", findings[0].Source);
    }

    [Fact]
    public void Lint_UpperCaseDomain_Notice()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Subject = [("2.5.4.3", "alice@Example.COM")],
            Emails = ["alice@Example.COM"],
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("email-domain-upper-case", N)], Ids(findings));
        Assert.Contains("'example.com'", findings[0].Message);
    }

    [Fact]
    public void Lint_ValidityOfExactly825Days_NoFinding()
    {
        // RFC 5280 §4.1.2.5: both ends count, so 825 days is notAfter = notBefore + 825 d - 1 s.
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Validity = TimeSpan.FromDays(825) - TimeSpan.FromSeconds(1),
        });

        Assert.Empty(CertificateLinter.Lint(certificate));
    }

    [Fact]
    public void Lint_ValidityOneSecondOver825Days_ValidityOverMaximum()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Validity = TimeSpan.FromDays(825),
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("validity-over-maximum", E)], Ids(findings));
        Assert.Equal("CABF S/MIME BR §6.3.2", findings[0].Source);
        Assert.EndsWith("mailbox-strict allows at most 825.", findings[0].Message);
    }

    [Fact]
    public void Lint_LegacyValidityOf1000Days_NoFinding()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Policies = ["2.23.140.1.5.1.1"],
            Validity = TimeSpan.FromDays(1000),
        });

        Assert.Empty(CertificateLinter.Lint(certificate));
    }

    [Fact]
    public void Lint_KeyEnciphermentOnEcKey_OneError()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Curve = ECCurve.NamedCurves.nistP256,
            KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("ku-encipherment-on-ec", E)], Ids(findings));
        Assert.Equal("RFC 5480 §3", findings[0].Source);
    }

    [Fact]
    public void Lint_KeyCertSignOnLeaf_OneError()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign,
        });

        Assert.Equal([("ku-cert-sign-on-leaf", E)], Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_DataEnciphermentInStrictButLegacyAllowsIt_CombinationNotAllowed()
    {
        var spec = new LintCertificateSpec
        {
            KeyUsage = X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment,
        };
        using X509Certificate2 strict = Issue(spec);
        using X509Certificate2 legacy = Issue(spec with { Policies = ["2.23.140.1.5.1.1"] });

        Assert.Equal([("ku-combination-not-allowed", E)], Ids(CertificateLinter.Lint(strict)));
        Assert.Empty(CertificateLinter.Lint(legacy));
    }

    [Fact]
    public void Lint_KeyAgreementOnRsa_OneError()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement,
        });

        Assert.Equal([("ku-key-agreement-on-rsa", E)], Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_DataEnciphermentOnly_NoSmimeUsageAndCombination()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            KeyUsage = X509KeyUsageFlags.DataEncipherment,
        });

        Assert.Equal(
            [("ku-no-smime-usage", E), ("ku-combination-not-allowed", E)],
            Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_NoKeyUsage_KeyUsageMissing()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec { KeyUsage = null });

        Assert.Equal([("ku-missing", E)], Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_KeyUsageNotCritical_Warning()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            KeyUsageCritical = false,
        });

        Assert.Equal([("ku-not-critical", W)], Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_TwoCabfPolicies_PolicySeveralCabf()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Policies = ["2.23.140.1.5.1.3", "2.23.140.1.5.4.3"],
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("policy-several-cabf", E)], Ids(findings));
        Assert.Contains("2.23.140.1.5.1.3, 2.23.140.1.5.4.3", findings[0].Message);
        Assert.Null(CertificateLinter.ClaimedProfile(certificate));
    }

    [Fact]
    public void Lint_NoCabfPolicy_NoticeAndNoProfileRules()
    {
        // 1000 days and no cRLDistributionPoints would break mailbox-strict; without a
        // claimed profile only the notice remains.
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Policies = [],
            Validity = TimeSpan.FromDays(1000),
            WithCrlDistributionPoint = false,
        });

        Assert.Equal([("policy-no-cabf", N)], Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_UnknownPolicyUnderCabfArc_PolicyUnknownCabf()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Policies = ["2.23.140.1.5.9.3"],
        });

        Assert.Equal([("policy-unknown-cabf", E)], Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_Rsa1024_RsaKeyTooSmall()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec { RsaBits = 1024 });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("rsa-key-too-small", E)], Ids(findings));
        Assert.Equal("The RSA key is 1024 bits; at least 2048 are required.", findings[0].Message);
    }

    [Fact]
    public void Lint_NegativeSerial_SerialNotPositive()
    {
        // CertificateRequest writes any serial as unsigned; re-encode it as given.
        using X509Certificate2 issued = Issue(new LintCertificateSpec());
        using X509Certificate2 certificate = LintCertificates.Resign(
            issued, serial: [0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]);

        Assert.Equal([("serial-not-positive", E)], Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_ZeroSerial_SerialNotPositive()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec { Serial = [0x00] });

        Assert.Equal(
            [("serial-not-positive", E), ("serial-too-short", E)],
            Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_21OctetSerial_SerialTooLongButTwentyPasses()
    {
        byte[] serial = [.. Enumerable.Repeat((byte)0x11, 21)];
        using X509Certificate2 longer = Issue(new LintCertificateSpec { Serial = serial });
        using X509Certificate2 twenty = Issue(new LintCertificateSpec { Serial = serial[1..] });

        Assert.Equal([("serial-too-long", E)], Ids(CertificateLinter.Lint(longer)));
        Assert.Empty(CertificateLinter.Lint(twenty));
    }

    [Fact]
    public void Lint_SevenOctetSerial_SerialTooShortButEightPasses()
    {
        byte[] serial = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08];
        using X509Certificate2 shorter = Issue(new LintCertificateSpec { Serial = serial[1..] });
        using X509Certificate2 eight = Issue(new LintCertificateSpec { Serial = serial });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(shorter);

        Assert.Equal([("serial-too-short", E)], Ids(findings));
        Assert.Equal("CABF S/MIME BR §7.1", findings[0].Source);
        Assert.Empty(CertificateLinter.Lint(eight));
    }

    [Fact]
    public void Lint_IndividualWithAddressAsCommonNameNotInSubjectAltName_SubjectCnNotMailbox()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Policies = ["2.23.140.1.5.4.3"],
            Subject = [("2.5.4.3", "carol@example.com")],
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("subject-cn-not-mailbox", E)], Ids(findings));
        Assert.Equal(
            "The commonName 'carol@example.com' is a mailbox address missing from subjectAltName.",
            findings[0].Message);
    }

    [Fact]
    public void Lint_UnknownCriticalExtension_Warning()
    {
        using X509Certificate2 issued = Issue(new LintCertificateSpec());
        var request = new CertificateRequest(
            issued.SubjectName, issued.GetRSAPublicKey()!, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        foreach (X509Extension extension in issued.Extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        request.CertificateExtensions.Add(
            new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], critical: true));
        using RSA rootKey = TestPki.Shared.Root.GetRSAPrivateKey()!;
        using X509Certificate2 certificate = request.Create(
            TestPki.Shared.Root.SubjectName,
            X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
            issued.NotBefore,
            issued.NotAfter,
            issued.SerialNumberBytes.Span);

        Assert.Equal(
            [("extension-critical-unknown", W)],
            Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_CaTrueOnLeaf_BasicConstraintsCaOnLeaf()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            BasicConstraintsCa = true,
        });

        Assert.Equal(
            [("basic-constraints-ca-on-leaf", E)],
            Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_NoKeyIdentifiers_TwoWarnings()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            WithSubjectKeyIdentifier = false,
            WithAuthorityKeyIdentifier = false,
        });

        Assert.Equal(
            [("ski-missing", W), ("aki-missing", W)],
            Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_Sha1Signature_SignatureWeakHash()
    {
        // CertificateRequest refuses SHA-1; sign the same TBSCertificate again with it.
        using X509Certificate2 issued = Issue(new LintCertificateSpec());
        using X509Certificate2 certificate = LintCertificates.Resign(issued, sha1: true);

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("signature-weak-hash", E)], Ids(findings));
        Assert.Contains("1.2.840.113549.1.1.5", findings[0].Message);
    }

    [Fact]
    public void Lint_NoCrlDistributionPoints_Error()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            WithCrlDistributionPoint = false,
        });

        Assert.Equal(
            [("crl-distribution-points-missing", E)],
            Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_MailboxProfileWithOrganizationName_SubjectFieldNotAllowed()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Subject = [.. s_mailboxSubject, ("2.5.4.10", "Example Ltd")],
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("subject-field-not-allowed", E)], Ids(findings));
        Assert.Equal("CABF S/MIME BR §7.1.4.2.2", findings[0].Source);
        Assert.Equal(
            "The subject has organizationName 'Example Ltd', which mailbox-strict does not allow.",
            findings[0].Message);
    }

    [Fact]
    public void Lint_OrganizationProfileWithoutOrganizationIdentifier_SubjectFieldMissing()
    {
        SmimeProfile profile = SmimeProfiles.Parse("organization-strict");
        LintCertificateSpec spec = Compliant(profile);
        using X509Certificate2 certificate = Issue(spec with
        {
            Subject = [.. spec.Subject.Where(a => a.Oid != "2.5.4.97")],
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("subject-field-missing", E)], Ids(findings));
        Assert.Contains("organizationIdentifier", findings[0].Message);
    }

    [Fact]
    public void Lint_MailboxProfileWithPersonalNameAsCommonName_SubjectCnNotMailbox()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Subject = [("2.5.4.3", "Alice Example")],
        });

        Assert.Equal([("subject-cn-not-mailbox", E)], Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_CaCertificate_SubscriberRulesSkipped()
    {
        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(TestPki.Shared.Root);

        Assert.Equal([("certificate-is-ca", N)], Ids(findings));
    }

    [Fact]
    public void Lint_FindingsOfSeveralSeverities_ErrorsFirst()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            Subject = [("2.5.4.3", "alice@Example.com")],
            Emails = ["alice@Example.com"],
            WithSubjectKeyIdentifier = false,
            RsaBits = 1024,
        });

        Assert.Equal(
            [("rsa-key-too-small", E), ("ski-missing", W), ("email-domain-upper-case", N)],
            Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void ClaimedProfile_MailboxStrictPolicy_ProfileWithOldClass()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec());

        SmimeProfile? profile = CertificateLinter.ClaimedProfile(certificate);

        Assert.NotNull(profile);
        Assert.Equal("mailbox-strict", profile.Name);
        Assert.Equal("class 1", profile.LegacyClass);
    }

    [Fact]
    public void Lint_OpenSslMadeMailboxStrictCertificate_NoFinding()
    {
        using var dir = new TempDir();
        WriteOpenSslCa(dir);
        File.WriteAllText(dir.File("ext.cnf"), string.Join('\n',
            "basicConstraints = critical, CA:FALSE",
            "keyUsage = critical, digitalSignature, keyEncipherment",
            "extendedKeyUsage = emailProtection",
            "subjectAltName = email:bob@example.org",
            "certificatePolicies = 2.23.140.1.5.1.3",
            $"crlDistributionPoints = URI:{LintCertificates.CrlUrl}",
            "subjectKeyIdentifier = hash",
            "authorityKeyIdentifier = keyid:always",
            ""));
        Peer.OpenSsl(dir.Path, "req", "-new", "-newkey", "rsa:2048", "-nodes",
            "-keyout", "bob.key", "-subj", "/CN=bob@example.org", "-out", "bob.csr");
        Peer.OpenSsl(dir.Path, "x509", "-req", "-in", "bob.csr", "-CA", "root.pem",
            "-CAkey", "root.key", "-days", "365", "-sha256", "-extfile", "ext.cnf",
            "-out", "bob.pem");
        using X509Certificate2 certificate = Load(dir.File("bob.pem"));

        Assert.Empty(CertificateLinter.Lint(certificate));
    }

    [Fact]
    public void Lint_OpenSslMadeVersion1Certificate_VersionNotV3AndNoExtensions()
    {
        using var dir = new TempDir();
        WriteOpenSslCa(dir);
        Peer.OpenSsl(dir.Path, "req", "-new", "-newkey", "rsa:2048", "-nodes",
            "-keyout", "old.key", "-subj", "/CN=Old Timer", "-out", "old.csr");

        // openssl 3.0 "x509 -req" without extensions writes a version 1 certificate.
        Peer.OpenSsl(dir.Path, "x509", "-req", "-in", "old.csr", "-CA", "root.pem",
            "-CAkey", "root.key", "-days", "30", "-sha256", "-out", "old.pem");
        using X509Certificate2 certificate = Load(dir.File("old.pem"));

        Assert.Equal(1, certificate.Version);
        Assert.Equal(
            [
                ("version-not-v3", E), ("san-missing", E), ("ski-missing", W),
                ("aki-missing", W), ("policy-no-cabf", N),
            ],
            Ids(CertificateLinter.Lint(certificate)));
    }

    [Fact]
    public void Lint_IssuedByCertificateAuthorityUnderEveryProfileAndPurpose_NoFinding()
    {
        using var dir = new TempDir();
        using CertificateStore store = CertificateStore.Open(dir.Path, 1000);
        CertificateAuthority authority = CertificateAuthority.Initialize(
            store,
            new CertificateAuthorityOptions
            {
                Name = "CN=Lint Test Root, O=Example",
                CrlUrl = LintCertificates.CrlUrl,
            },
            "passphrase");
        using RSA rsa = RSA.Create(2048);
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string[] requests =
        [
            SigningRequests.Create(rsa, "alice@example.com"),
            SigningRequests.Create(ec, "bob@example.com", "Bob Example", "Example Ltd"),
        ];

        var failures = new List<string>();
        foreach (SmimeProfile profile in SmimeProfiles.All)
        {
            foreach (SmimeKeyPurpose purpose in Enum.GetValues<SmimeKeyPurpose>())
            {
                // The CA refuses an O in a mailbox- or individual-validated subject, and Bob's
                // CSR asks for one.
                bool organization = profile.ValidationType
                    is SmimeValidationType.Organization or SmimeValidationType.Sponsor;
                foreach (string request in requests.Take(organization ? 2 : 1))
                {
                    using X509Certificate2 issued = authority.Issue(request, new IssueOptions
                    {
                        Profile = profile,
                        Purpose = purpose,
                        Organization = organization ? "Example Ltd" : null,
                        OrganizationIdentifier = organization ? "NTRGB-12345678" : null,
                    }, "passphrase");
                    failures.AddRange(CertificateLinter.Lint(issued)
                        .Select(f => $"{profile.Name} {purpose} {issued.Subject}: {f}"));
                }
            }
        }

        Assert.Empty(failures);
    }

    private static X509Certificate2 Issue(LintCertificateSpec spec) => LintCertificates.Issue(spec);

    private static X509Certificate2 Load(string path) =>
        CertificateLoader.LoadCertificates(path)[0];

    private static (string, LintSeverity)[] Ids(IReadOnlyList<LintFinding> findings) =>
        [.. findings.Select(f => (f.RuleId, f.Severity))];

    private static void WriteOpenSslCa(TempDir dir) =>
        TestPki.WritePem(TestPki.Shared.Root, dir.File("root.pem"), dir.File("root.key"));

    private static (string, string)[] IndividualSubject() =>
    [
        ("2.5.4.6", "GB"), ("2.5.4.42", "Alice"), ("2.5.4.4", "Example"),
        ("2.5.4.3", "Alice Example"),
    ];

    /// <summary>A certificate of the profile that breaks none of its rules.</summary>
    private static LintCertificateSpec Compliant(SmimeProfile profile)
    {
        (string, string)[] organization =
        [
            ("2.5.4.6", "GB"), ("2.5.4.10", "Example Ltd"), ("2.5.4.97", "NTRGB-12345678"),
        ];
        (string, string)[] subject = profile.ValidationType switch
        {
            SmimeValidationType.Mailbox => s_mailboxSubject,
            SmimeValidationType.Organization => [.. organization, ("2.5.4.3", "Example Ltd")],
            SmimeValidationType.Sponsor =>
            [
                .. organization, ("2.5.4.42", "Alice"), ("2.5.4.4", "Example"),
                ("2.5.4.3", "Alice Example"),
            ],
            _ => IndividualSubject(),
        };
        return new LintCertificateSpec
        {
            Subject = subject,
            Policies = [profile.PolicyOid],
            Validity = TimeSpan.FromDays(profile.MaximumValidityDays) - TimeSpan.FromSeconds(1),
        };
    }
}
