using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Authority;

/// <summary>The RFC 5280 rules: structure, serial, extensions, keys and signatures.</summary>
public static partial class CertificateLinter
{
    /// <summary>Longest serial number, in octets (RFC 5280 §4.1.2.2).</summary>
    public const int MaxSerialOctets = 20;

    /// <summary>Smallest RSA modulus accepted, in bits (CA/B S/MIME BR §6.1.5).</summary>
    public const int MinimumRsaBits = 2048;

    // The extensions of RFC 5280 §4.2.1 that S/MIME agents are expected to process.
    private static readonly HashSet<string> s_knownExtensions =
    [
        LintOids.AuthorityKeyIdentifier, LintOids.SubjectKeyIdentifier, LintOids.KeyUsage,
        LintOids.CertificatePolicies, LintOids.SubjectAltName, LintOids.BasicConstraints,
        LintOids.ExtendedKeyUsage, LintOids.CrlDistributionPoints,
        LintOids.AuthorityInfoAccess, "2.5.29.30", "2.5.29.33", "2.5.29.36", "2.5.29.54",
    ];

    // Rules that hold for every certificate, CA or end entity.
    private static void CheckStructure(LintTarget target, List<LintFinding> findings)
    {
        if (target.Version != 3)
        {
            // Extensions exist only in v3, and every S/MIME rule below rests on extensions.
            Add(findings, LintSeverity.Error, "version-not-v3", $"{Rfc5280} §4.1.2.1",
                $"The certificate is version {target.Version}; an S/MIME certificate "
                    + "carries extensions and must be version 3.");
        }

        foreach ((string oid, string type) in target.MalformedSubjectAttributes)
        {
            // X.520 fixes each attribute's string types; emailAddress is an IA5String
            // (RFC 5280 Appendix A.1), ASCII only.
            Add(findings, LintSeverity.Error, "subject-attribute-malformed", $"{Rfc5280} §4.1.2.6",
                $"The subject attribute {oid} is not a valid {type} (X.520); rules reading it "
                    + "were skipped.");
        }

        CheckSerial(target, findings);
        CheckExtensionList(target, findings);
        CheckKeyIdentifiers(target, findings);
        CheckSignatureAlgorithm(target, findings);
        CheckPublicKey(target, findings);

        if (target.Certificate.NotAfter < target.Certificate.NotBefore)
        {
            Add(findings, LintSeverity.Error, "validity-inverted", $"{Rfc5280} §4.1.2.5",
                $"notAfter {target.Certificate.NotAfter.ToUniversalTime():u} is before "
                    + $"notBefore {target.Certificate.NotBefore.ToUniversalTime():u}.");
        }
    }

    private static void CheckSerial(LintTarget target, List<LintFinding> findings)
    {
        byte[] serial = target.SerialBytes;
        bool negative = serial.Length > 0 && (serial[0] & 0x80) != 0;
        bool zero = serial.All(b => b == 0);
        if (negative || zero)
        {
            Add(findings, LintSeverity.Error, "serial-not-positive", $"{Rfc5280} §4.1.2.2",
                $"The serial number {Hex(serial)} is {(zero ? "zero" : "negative")}; it must "
                    + "be a positive integer.");
        }

        if (serial.Length > MaxSerialOctets)
        {
            Add(findings, LintSeverity.Error, "serial-too-long", $"{Rfc5280} §4.1.2.2",
                $"The serial number {Hex(serial)} is {serial.Length} octets; at most "
                    + $"{MaxSerialOctets} are allowed.");
        }
    }

    private static void CheckExtensionList(LintTarget target, List<LintFinding> findings)
    {
        foreach (IGrouping<string, LintExtension> repeated in target.Extensions
            .GroupBy(e => e.Oid)
            .Where(g => g.Count() > 1))
        {
            Add(findings, LintSeverity.Error, "extension-duplicate", $"{Rfc5280} §4.2",
                $"The extension {repeated.Key} appears {repeated.Count()} times; it may "
                    + "appear once.");
        }

        foreach (LintExtension extension in target.Extensions)
        {
            if (extension.Critical && !s_knownExtensions.Contains(extension.Oid))
            {
                Add(findings, LintSeverity.Warning, "extension-critical-unknown",
                    $"{Rfc5280} §4.2",
                    $"The extension {extension.Oid} is critical; an agent that does not know "
                        + "it must reject the certificate.");
            }
        }

        foreach (string oid in target.MalformedExtensions)
        {
            Add(findings, LintSeverity.Error, "extension-malformed", $"{Rfc5280} §4.2",
                $"The value of extension {oid} does not decode as DER; rules reading it "
                    + "were skipped.");
        }
    }

    private static void CheckKeyIdentifiers(LintTarget target, List<LintFinding> findings)
    {
        if (target.Extension(LintOids.SubjectKeyIdentifier) is null)
        {
            Add(findings, LintSeverity.Warning, "ski-missing", $"{Rfc5280} §4.2.1.2",
                "There is no subjectKeyIdentifier extension.");
        }

        // A self-issued certificate may leave it out (RFC 5280 §4.2.1.1).
        bool selfIssued = target.Certificate.SubjectName.RawData
            .AsSpan()
            .SequenceEqual(target.Certificate.IssuerName.RawData);
        if (!selfIssued && target.Extension(LintOids.AuthorityKeyIdentifier) is null)
        {
            Add(findings, LintSeverity.Warning, "aki-missing", $"{Rfc5280} §4.2.1.1",
                "There is no authorityKeyIdentifier extension, so a chain builder cannot "
                    + "pick the issuing key.");
        }
    }

    private static void CheckSignatureAlgorithm(LintTarget target, List<LintFinding> findings)
    {
        string oid = target.SignatureAlgorithm;
        if (oid is LintOids.Sha1WithRsa or LintOids.EcdsaWithSha1 or LintOids.DsaWithSha1
            or LintOids.Md5WithRsa)
        {
            string name = new Oid(oid).FriendlyName ?? oid;
            Add(findings, LintSeverity.Error, "signature-weak-hash", $"{Cabf} §7.1.3.2",
                $"The certificate is signed with {name} ({oid}); SHA-1 and MD5 signatures "
                    + "can be forged.");
        }
    }

    private static void CheckPublicKey(LintTarget target, List<LintFinding> findings)
    {
        if (target.KeyAlgorithm is not (LintOids.Rsa or LintOids.RsaPss))
        {
            return;
        }

        using RSA? rsa = target.Certificate.GetRSAPublicKey();
        int bits = rsa?.KeySize ?? 0;
        if (bits < MinimumRsaBits)
        {
            Add(findings, LintSeverity.Error, "rsa-key-too-small", $"{Cabf} §6.1.5",
                $"The RSA key is {bits} bits; at least {MinimumRsaBits} are required.");
        }
    }

    // Rules for an end-entity certificate.
    private static void CheckEndEntity(LintTarget target, List<LintFinding> findings)
    {
        if (target.IsCa == true)
        {
            Add(findings, LintSeverity.Error, "basic-constraints-ca-on-leaf",
                $"{Rfc5280} §4.2.1.9",
                "basicConstraints says cA TRUE, but keyUsage has no keyCertSign: an S/MIME "
                    + "end-entity certificate must not claim to be a CA.");
        }

        const X509KeyUsageFlags caBits = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign;
        if (target.KeyUsage is { } usage && (usage & caBits) != 0)
        {
            Add(findings, LintSeverity.Error, "ku-cert-sign-on-leaf", $"{Rfc5280} §4.2.1.3",
                $"keyUsage has {usage & caBits} on a certificate that is not a CA.");
        }

        if (target.KeyUsage is not null && !target.KeyUsageCritical)
        {
            Add(findings, LintSeverity.Warning, "ku-not-critical", $"{Rfc5280} §4.2.1.3",
                "The keyUsage extension is not marked critical.");
        }

        if (target.Extension(LintOids.SubjectAltName) is { } san)
        {
            bool emptySubject = target.SubjectAttributes.Count == 0;
            if (emptySubject && !san.Critical)
            {
                Add(findings, LintSeverity.Error, "san-not-critical-empty-subject",
                    $"{Rfc5280} §4.2.1.6",
                    "The subject is empty, so subjectAltName must be critical, and it is not.");
            }
            else if (!emptySubject && san.Critical)
            {
                Add(findings, LintSeverity.Warning, "san-critical", $"{Rfc5280} §4.2.1.6",
                    "subjectAltName is critical although the subject is not empty.");
            }
        }

        CheckKeyUsageForKey(target, findings);
    }

    // RFC 3279 §2.3.1, RFC 5480 §3 and RFC 8410 §5: the bits a key of each algorithm can
    // assert at all.
    private static void CheckKeyUsageForKey(LintTarget target, List<LintFinding> findings)
    {
        if (target.KeyUsage is not { } usage)
        {
            return;
        }

        const X509KeyUsageFlags encipher =
            X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment;
        switch (target.KeyAlgorithm)
        {
            case LintOids.EcPublicKey when (usage & encipher) != 0:
                Add(findings, LintSeverity.Error, "ku-encipherment-on-ec", "RFC 5480 §3",
                    $"keyUsage has {usage & encipher} on an EC key, which can only sign or "
                        + "agree keys.");
                break;
            case LintOids.Ed25519 or LintOids.Ed448
                when (usage & (encipher | X509KeyUsageFlags.KeyAgreement)) != 0:
                Add(findings, LintSeverity.Error, "ku-encipherment-on-eddsa", "RFC 8410 §5",
                    $"keyUsage has {usage & (encipher | X509KeyUsageFlags.KeyAgreement)} on an "
                        + "EdDSA key, which can only sign.");
                break;
            case LintOids.Rsa when (usage & X509KeyUsageFlags.KeyAgreement) != 0:
                Add(findings, LintSeverity.Error, "ku-key-agreement-on-rsa", "RFC 3279 §2.3.1",
                    "keyUsage has KeyAgreement on an RSA key, which cannot agree keys.");
                break;
        }
    }
}
