using System.Security.Cryptography.X509Certificates;
using Smime.Authority;
using Smime.Tests.Support;

namespace Smime.Tests.Authority;

/// <summary>authorityInformationAccess under S/MIME BR §7.1.2.3 (c).</summary>
public sealed class CertificateLinterAiaTests
{
    private const LintSeverity E = LintSeverity.Error;
    private const string MailboxLegacy = "2.23.140.1.5.1.1";
    private const string Ocsp = "http://127.0.0.1/ocsp";
    private const string CaIssuers = "http://127.0.0.1/ca.cer";

    [Fact]
    public void Lint_HttpOcspAndCaIssuersNotCritical_NoFinding()
    {
        using X509Certificate2 certificate = Issue(Aia([Ocsp], [CaIssuers], critical: false));

        Assert.Empty(CertificateLinter.Lint(certificate));
    }

    [Fact]
    public void Lint_AiaCritical_AiaCriticalError()
    {
        using X509Certificate2 certificate = Issue(Aia([Ocsp], null, critical: true));

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("aia-critical", E)], Ids(findings));
        Assert.Equal("CABF S/MIME BR §7.1.2.3 (c)", findings[0].Source);
        Assert.Equal("authorityInformationAccess is marked critical.", findings[0].Message);
    }

    [Fact]
    public void Lint_StrictLdapOcspBesideHttp_AiaUrlNotHttpNamesIt()
    {
        using X509Certificate2 certificate =
            Issue(Aia([Ocsp, "ldap://127.0.0.1/ocsp"], [CaIssuers], critical: false));

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("aia-url-not-http", E)], Ids(findings));
        Assert.Equal("authorityInformationAccess id-ad-ocsp has 'ldap://127.0.0.1/ocsp'; "
            + "mailbox-strict allows only http URLs there.", findings[0].Message);
    }

    [Fact]
    public void Lint_StrictHttpsCaIssuers_AiaUrlNotHttp()
    {
        using X509Certificate2 certificate =
            Issue(Aia([Ocsp], ["https://127.0.0.1/ca.cer"], critical: false));

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("aia-url-not-http", E)], Ids(findings));
        Assert.Equal("authorityInformationAccess id-ad-caIssuers has 'https://127.0.0.1/ca.cer'; "
            + "mailbox-strict allows only http URLs there.", findings[0].Message);
    }

    [Fact]
    public void Lint_LegacyLdapBesideHttp_NoFindingButLdapAloneRefused()
    {
        using X509Certificate2 both = Issue(
            Aia([Ocsp, "ldap://127.0.0.1/ocsp"], null, critical: false) with
            {
                Policies = [MailboxLegacy],
            });
        using X509Certificate2 ldapOnly = Issue(
            Aia(["ldap://127.0.0.1/ocsp"], null, critical: false) with
            {
                Policies = [MailboxLegacy],
            });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(ldapOnly);

        Assert.Empty(CertificateLinter.Lint(both));
        Assert.Equal([("aia-url-not-http", E)], Ids(findings));
        Assert.Equal("authorityInformationAccess id-ad-ocsp has 'ldap://127.0.0.1/ocsp'; "
            + "mailbox-legacy needs at least one http URL there.", findings[0].Message);
    }

    [Fact]
    public void Lint_AiaNotDer_ExtensionMalformed()
    {
        using X509Certificate2 certificate = Issue(new LintCertificateSpec
        {
            ExtraExtensions = [new X509Extension("1.3.6.1.5.5.7.1.1", [0x04, 0x00], false)],
        });

        IReadOnlyList<LintFinding> findings = CertificateLinter.Lint(certificate);

        Assert.Equal([("extension-malformed", E)], Ids(findings));
        Assert.Contains("1.3.6.1.5.5.7.1.1", findings[0].Message);
    }

    private static LintCertificateSpec Aia(string[] ocsp, string[]? caIssuers, bool critical) =>
        new()
        {
            ExtraExtensions =
            [
                new X509AuthorityInformationAccessExtension(ocsp, caIssuers, critical),
            ],
        };

    private static X509Certificate2 Issue(LintCertificateSpec spec) => LintCertificates.Issue(spec);

    private static (string, LintSeverity)[] Ids(IReadOnlyList<LintFinding> findings) =>
        [.. findings.Select(f => (f.RuleId, f.Severity))];
}
