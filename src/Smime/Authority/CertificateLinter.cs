using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Authority;

/// <summary>
/// Checks a certificate against RFC 5280, RFC 8550 and the CA/Browser Forum S/MIME Baseline
/// Requirements profile its policy OID claims, and says what it finds, rule by rule.
/// </summary>
/// <remarks>
/// A certificate whose basicConstraints say cA and whose keyUsage has keyCertSign is linted as
/// a CA: only the structural rules apply, and a subordinate CA (not self-issued) must name a
/// CRL distribution point (S/MIME BR §7.1.2.2 (b)). Every other certificate is linted as an
/// S/MIME subscriber certificate. Not checked: signatures, the chain, revocation, the CRL URL
/// scheme, name constraints, and whether the CA actually validated what the profile claims.
/// </remarks>
public static partial class CertificateLinter
{
    private const string Rfc5280 = "RFC 5280";
    private const string Rfc8550 = "RFC 8550";
    private const string Cabf = "CABF S/MIME BR";

    /// <summary>Lints one certificate.</summary>
    /// <param name="certificate">The certificate; its private key, if any, is not used.</param>
    /// <returns>The findings, errors first, in rule order within a severity.</returns>
    /// <exception cref="CryptographicException">The certificate's DER does not decode.</exception>
    public static IReadOnlyList<LintFinding> Lint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        LintTarget target = LintTarget.Read(certificate);
        var findings = new List<LintFinding>();
        CheckStructure(target, findings);
        if (IsCaCertificate(target))
        {
            findings.Add(new LintFinding(LintSeverity.Notice, "certificate-is-ca",
                $"{Rfc5280} §4.2.1.9",
                "The certificate is a CA (basicConstraints cA TRUE, keyUsage keyCertSign); "
                    + "the S/MIME subscriber rules were not applied."));
            CheckSubordinateCa(target, findings);
            return Sorted(findings);
        }

        CheckEndEntity(target, findings);
        CheckMailboxes(target, findings);
        CheckUsages(target, findings);
        SmimeProfile? profile = ClaimedProfile(target, findings);
        if (profile is not null)
        {
            CheckProfile(target, profile, findings);
        }

        return Sorted(findings);
    }

    /// <summary>
    /// The S/MIME BR profile a certificate claims through its certificatePolicies: the one
    /// reserved policy OID (2.23.140.1.5.type.generation) it carries.
    /// </summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The profile, or null when the certificate names none, several or an
    /// unknown one, or its certificatePolicies does not decode.</returns>
    public static SmimeProfile? ClaimedProfile(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        LintTarget target;
        try
        {
            target = LintTarget.Read(certificate);
        }
        catch (CryptographicException)
        {
            return null;
        }

        return ClaimedProfile(target, findings: null);
    }

    private static bool IsCaCertificate(LintTarget target) =>
        target.IsCa == true
        && target.KeyUsage is { } usage
        && usage.HasFlag(X509KeyUsageFlags.KeyCertSign);

    // S/MIME BR §7.1.2.2 (b): a subordinate CA names the CRL its issuer publishes about it,
    // or relying parties cannot learn that it was revoked. A warning: the linter cannot tell
    // whether the CA is meant to be publicly trusted.
    private static void CheckSubordinateCa(LintTarget target, List<LintFinding> findings)
    {
        X509Certificate2 certificate = target.Certificate;
        bool selfIssued = certificate.SubjectName.RawData.AsSpan()
            .SequenceEqual(certificate.IssuerName.RawData);
        if (!selfIssued && target.Extension(LintOids.CrlDistributionPoints) is null)
        {
            Add(findings, LintSeverity.Warning, "sub-ca-crl-distribution-points-missing",
                $"{Cabf} §7.1.2.2 (b)",
                "The subordinate CA names no cRLDistributionPoints with the HTTP URL of its "
                    + "issuer's CRL.");
        }
    }

    private static List<LintFinding> Sorted(List<LintFinding> findings) =>
        [.. findings.OrderByDescending(f => f.Severity)];

    private static void Add(
        List<LintFinding> findings,
        LintSeverity severity,
        string ruleId,
        string source,
        string message) =>
        findings.Add(new LintFinding(severity, ruleId, source, message));

    private static string Hex(byte[] bytes) =>
        bytes.Length == 0 ? "(empty)" : Convert.ToHexString(bytes);
}
