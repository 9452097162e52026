using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;

namespace Smime.Authority;

/// <summary>
/// The CA/Browser Forum S/MIME Baseline Requirements rules, applied with the profile the
/// certificate's reserved policy OID names (the table is <see cref="SmimeProfiles"/>).
/// </summary>
public static partial class CertificateLinter
{
    /// <summary>Fewest significant serial octets that can hold 64 random bits (BR §7.1).</summary>
    public const int MinimumSerialOctets = 8;

    private const long SecondsPerDay = 24 * 60 * 60;

    // The named curves S/MIME BR §6.1.5 allows for EC keys.
    private static readonly string[] s_allowedCurves =
        ["1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35"];

    private static SmimeProfile? ClaimedProfile(LintTarget target, List<LintFinding>? findings)
    {
        string[] reserved = target.PolicyOids
            .Where(o => o.StartsWith(SmimeProfiles.PolicyOidArc + ".", StringComparison.Ordinal))
            .Distinct()
            .ToArray();
        if (reserved.Length == 0)
        {
            findings?.Add(new LintFinding(LintSeverity.Notice, "policy-no-cabf",
                $"{Cabf} §7.1.6.1",
                "certificatePolicies names no CA/B S/MIME policy (2.23.140.1.5.*), so no "
                    + "CA/B profile rules were applied."));
            return null;
        }

        if (reserved.Length > 1)
        {
            findings?.Add(new LintFinding(LintSeverity.Error, "policy-several-cabf",
                $"{Cabf} §7.1.2.3 (a)",
                $"certificatePolicies names {reserved.Length} CA/B S/MIME policies "
                    + $"({string.Join(", ", reserved)}); exactly one is allowed, so no "
                    + "profile rules were applied."));
            return null;
        }

        if (!SmimeProfiles.TryFromPolicyOid(reserved[0], out SmimeProfile? profile))
        {
            findings?.Add(new LintFinding(LintSeverity.Error, "policy-unknown-cabf",
                $"{Cabf} §7.1.6.1",
                $"The policy {reserved[0]} is under the CA/B S/MIME arc but names no profile."));
            return null;
        }

        return profile;
    }

    private static void CheckProfile(
        LintTarget target,
        SmimeProfile profile,
        List<LintFinding> findings)
    {
        CheckSerialEntropy(target, findings);
        CheckValidity(target, profile, findings);
        CheckProfileExtensions(target, profile, findings);
        CheckProfileKey(target, profile, findings);
        CheckSubjectFields(target, profile, findings);
    }

    // §7.1: at least 64 bits of CSPRNG output, which a shorter serial cannot hold.
    private static void CheckSerialEntropy(LintTarget target, List<LintFinding> findings)
    {
        int octets = target.SerialBytes.SkipWhile(b => b == 0).Count();
        if (octets < MinimumSerialOctets)
        {
            Add(findings, LintSeverity.Error, "serial-too-short", $"{Cabf} §7.1",
                $"The serial number {Hex(target.SerialBytes)} has {octets} significant octets; "
                    + $"{MinimumSerialOctets} are needed to hold 64 random bits.");
        }
    }

    private static void CheckValidity(
        LintTarget target,
        SmimeProfile profile,
        List<LintFinding> findings)
    {
        // RFC 5280 §4.1.2.5: the period runs from notBefore to notAfter, both inclusive.
        DateTime from = target.Certificate.NotBefore.ToUniversalTime();
        DateTime to = target.Certificate.NotAfter.ToUniversalTime();
        long seconds = (long)(to - from).TotalSeconds + 1;
        long limit = profile.MaximumValidityDays * SecondsPerDay;
        if (seconds > limit)
        {
            Add(findings, LintSeverity.Error, "validity-over-maximum", $"{Cabf} §6.3.2",
                $"The validity period {from:u} to {to:u} is {seconds / (double)SecondsPerDay:0.##}"
                    + $" days; {profile.Name} allows at most {profile.MaximumValidityDays}.");
        }
    }

    private static void CheckProfileExtensions(
        LintTarget target,
        SmimeProfile profile,
        List<LintFinding> findings)
    {
        if (target.Extension(LintOids.CertificatePolicies) is { Critical: true })
        {
            Add(findings, LintSeverity.Warning, "policy-critical", $"{Cabf} §7.1.2.3 (a)",
                "certificatePolicies is marked critical.");
        }

        if (target.Extension(LintOids.CrlDistributionPoints) is null)
        {
            Add(findings, LintSeverity.Error, "crl-distribution-points-missing",
                $"{Cabf} §7.1.2.3 (b)",
                "There is no cRLDistributionPoints extension with the CRL's HTTP URL.");
        }

        CheckAuthorityInfoAccess(target, profile, findings);

        if (target.Extension(LintOids.ExtendedKeyUsage) is null)
        {
            Add(findings, LintSeverity.Error, "eku-missing", $"{Cabf} §7.1.2.3 (f)",
                $"There is no extendedKeyUsage extension; {profile.Name} requires "
                    + "emailProtection.");
        }
        else if (target.ExtendedKeyUsages is { } ekus)
        {
            string[] refused = [.. ekus.Where(o => !profile.IsExtendedKeyUsageAllowed(o))];
            if (refused.Length > 0)
            {
                Add(findings, LintSeverity.Error, "eku-not-allowed", $"{Cabf} §7.1.2.3 (f)",
                    $"extendedKeyUsage has {string.Join(", ", refused.Select(LintOids.EkuName))},"
                        + $" which {profile.Name} does not allow.");
            }
        }

        if (!profile.AllowsOtherSubjectAltNames && target.OtherSanKinds.Count > 0)
        {
            Add(findings, LintSeverity.Error, "san-name-not-allowed", $"{Cabf} §7.1.2.3 (h)",
                $"subjectAltName has {string.Join(", ", target.OtherSanKinds)}; {profile.Name} "
                    + "allows only rfc822Name and SmtpUTF8Mailbox.");
        }
    }

    // S/MIME BR §7.1.2.3 (c): authorityInformationAccess is optional (SHOULD), never
    // critical; its OCSP and caIssuers locations are http URLs: every one in the strict and
    // multipurpose generations, at least one of each method present in legacy.
    private static void CheckAuthorityInfoAccess(
        LintTarget target,
        SmimeProfile profile,
        List<LintFinding> findings)
    {
        if (target.Extension(LintOids.AuthorityInfoAccess) is not { } aia)
        {
            return;
        }

        if (aia.Critical)
        {
            Add(findings, LintSeverity.Error, "aia-critical", $"{Cabf} §7.1.2.3 (c)",
                "authorityInformationAccess is marked critical.");
        }

        foreach ((string method, string name) in s_accessMethods)
        {
            List<string?> locations = [.. target.AccessDescriptions
                .Where(d => d.Method == method)
                .Select(d => d.Uri)];
            string[] notHttp = [.. locations.Where(u => !IsHttpUrl(u))
                .Select(u => u is null ? "a name that is not a URI" : $"'{u}'")];
            bool legacy = profile.Generation == SmimeGeneration.Legacy;
            if (notHttp.Length > 0 && (!legacy || notHttp.Length == locations.Count))
            {
                Add(findings, LintSeverity.Error, "aia-url-not-http", $"{Cabf} §7.1.2.3 (c)",
                    $"authorityInformationAccess {name} has {string.Join(", ", notHttp)}; "
                        + (legacy
                            ? $"{profile.Name} needs at least one http URL there."
                            : $"{profile.Name} allows only http URLs there."));
            }
        }
    }

    private static readonly (string Oid, string Name)[] s_accessMethods =
    [
        (LintOids.AdOcsp, "id-ad-ocsp"),
        (LintOids.AdCaIssuers, "id-ad-caIssuers"),
    ];

    private static bool IsHttpUrl(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed) && parsed.Scheme == "http";

    private static void CheckProfileKey(
        LintTarget target,
        SmimeProfile profile,
        List<LintFinding> findings)
    {
        SmimeKeyFamily? family = KeyFamily(target.KeyAlgorithm);
        if (family is null)
        {
            Add(findings, LintSeverity.Error, "key-algorithm-not-allowed", $"{Cabf} §6.1.5",
                $"The public key algorithm {target.KeyAlgorithm} is none of RSA, EC, EdDSA "
                    + "and XDH.");
            return;
        }

        if (family == SmimeKeyFamily.EllipticCurve && CurveOid(target) is { } curve
            && !s_allowedCurves.Contains(curve))
        {
            Add(findings, LintSeverity.Error, "ec-curve-not-allowed", $"{Cabf} §6.1.5",
                $"The EC key is on curve {curve}; only P-256, P-384 and P-521 are allowed.");
        }

        if (target.KeyUsage is not { } usage)
        {
            if (!target.MalformedExtensions.Contains(LintOids.KeyUsage))
            {
                Add(findings, LintSeverity.Error, "ku-missing", $"{Cabf} §7.1.2.3 (e)",
                    "There is no keyUsage extension.");
            }

            return;
        }

        // A bit the key cannot carry at all, or a CA bit, is already reported by its own rule.
        bool reported = findings.Any(f =>
            f.RuleId is "ku-encipherment-on-ec" or "ku-encipherment-on-eddsa"
                or "ku-key-agreement-on-rsa" or "ku-cert-sign-on-leaf");
        if (!reported && profile.FindKeyUsageRule(family.Value, usage) is null)
        {
            Add(findings, LintSeverity.Error, "ku-combination-not-allowed",
                $"{Cabf} §7.1.2.3 (e)",
                $"keyUsage {usage} on a {family} key is none of the combinations "
                    + $"{profile.Name} allows (signing, key management or dual use).");
        }
    }

    private static void CheckSubjectFields(
        LintTarget target,
        SmimeProfile profile,
        List<LintFinding> findings)
    {
        foreach ((string oid, string value) in target.SubjectAttributes)
        {
            if (profile.SubjectRequirement(oid) == SmimeRequirement.Forbidden)
            {
                Add(findings, LintSeverity.Error, "subject-field-not-allowed",
                    $"{Cabf} §7.1.4.2.2",
                    $"The subject has {LintOids.AttributeName(oid)} '{value}', which "
                        + $"{profile.Name} does not allow.");
            }
        }

        foreach ((string oid, SmimeRequirement requirement) in profile.SubjectFields)
        {
            if (requirement == SmimeRequirement.Required
                && !target.SubjectAttributes.Exists(a => a.Oid == oid))
            {
                Add(findings, LintSeverity.Error, "subject-field-missing", $"{Cabf} §7.1.4.2.2",
                    $"The subject has no {LintOids.AttributeName(oid)}, which {profile.Name} "
                        + "requires.");
            }
        }

        // §7.1.4.2.2 (a): a commonName that is a mailbox address must be one of the
        // subjectAltName mailboxes; a mailbox-validated commonName can only be one.
        bool mailboxOnly = profile.ValidationType == SmimeValidationType.Mailbox;
        List<string> mailboxes = [.. target.Rfc822Names, .. target.SmtpUtf8Mailboxes];
        foreach ((string oid, string value) in target.SubjectAttributes)
        {
            if (oid != LintOids.CommonName
                || mailboxes.Exists(m => CertificateAddresses.AddressEquals(m, value)))
            {
                continue;
            }

            if (mailboxOnly)
            {
                Add(findings, LintSeverity.Error, "subject-cn-not-mailbox",
                    $"{Cabf} §7.1.4.2.2 (a)",
                    $"The commonName '{value}' is not one of the subjectAltName mailboxes; "
                        + $"{profile.Name} allows only a mailbox address there.");
            }
            else if (value.Contains('@', StringComparison.Ordinal))
            {
                Add(findings, LintSeverity.Error, "subject-cn-not-mailbox",
                    $"{Cabf} §7.1.4.2.2 (a)",
                    $"The commonName '{value}' is a mailbox address missing from "
                        + "subjectAltName.");
            }
        }
    }

    private static SmimeKeyFamily? KeyFamily(string keyAlgorithm) => keyAlgorithm switch
    {
        LintOids.Rsa or LintOids.RsaPss => SmimeKeyFamily.Rsa,
        LintOids.EcPublicKey => SmimeKeyFamily.EllipticCurve,
        LintOids.Ed25519 or LintOids.Ed448 => SmimeKeyFamily.EdDsa,
        LintOids.X25519 or LintOids.X448 => SmimeKeyFamily.Xdh,
        _ => null,
    };

    private static string? CurveOid(LintTarget target)
    {
        try
        {
            using ECDsa? ec = target.Certificate.GetECDsaPublicKey();
            return ec?.ExportParameters(false).Curve.Oid.Value;
        }
        catch (CryptographicException)
        {
            // A curve the platform cannot load is certainly not one of the three.
            return "(unknown)";
        }
    }
}
