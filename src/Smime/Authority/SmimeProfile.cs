using System.Security.Cryptography.X509Certificates;

namespace Smime.Authority;

/// <summary>
/// One certificate profile of the CA/Browser Forum S/MIME Baseline Requirements: a
/// certificate type (mailbox-, organization-, sponsor- or individual-validated) in one
/// generation (legacy, multipurpose, strict), with the rules of §6.3.2, §7.1.2.3 and
/// §7.1.4.2 as data. Get one from <see cref="SmimeProfiles"/>.
/// </summary>
/// <remarks>
/// Only what the issuer and the linter need is modelled: policy OID, key usages, EKUs,
/// validity and subject attributes. Not modelled: the CRL URL scheme, qcStatements,
/// legal-entity identifier extensions and the CA's own (non-subscriber) profiles.
/// </remarks>
public sealed class SmimeProfile
{
    private readonly IReadOnlyDictionary<string, SmimeRequirement> _subjectFields;

    internal SmimeProfile(
        SmimeValidationType validationType,
        SmimeGeneration generation,
        IReadOnlyList<SmimeKeyUsageRule> keyUsageRules,
        IReadOnlyDictionary<string, SmimeRequirement> subjectFields)
    {
        ValidationType = validationType;
        Generation = generation;
        KeyUsageRules = keyUsageRules;
        _subjectFields = subjectFields;
    }

    /// <summary>What the CA checked about the subject.</summary>
    public SmimeValidationType ValidationType { get; }

    /// <summary>Legacy, multipurpose or strict.</summary>
    public SmimeGeneration Generation { get; }

    /// <summary>The name used on the command line, e.g. <c>mailbox-strict</c>.</summary>
    public string Name =>
        ValidationType.ToString().ToLowerInvariant() + "-"
            + Generation.ToString().ToLowerInvariant();

    /// <summary>The reserved policy OID of S/MIME BR §7.1.6.1, e.g. 2.23.140.1.5.1.3.</summary>
    public string PolicyOid =>
        $"{SmimeProfiles.PolicyOidArc}.{(int)ValidationType}.{(int)Generation}";

    /// <summary>The pre-Requirements class this type corresponds to, e.g. "class 1".</summary>
    public string LegacyClass => ValidationType switch
    {
        SmimeValidationType.Mailbox => "class 1",
        SmimeValidationType.Organization or SmimeValidationType.Sponsor => "class 2",
        _ => "class 3 or 4",
    };

    /// <summary>
    /// Longest allowed validity in days (S/MIME BR §6.3.2): 825, or 1185 for legacy.
    /// </summary>
    public int MaximumValidityDays =>
        Generation == SmimeGeneration.Legacy
            ? SmimeProfiles.LegacyMaximumValidityDays
            : SmimeProfiles.MaximumValidityDays;

    /// <summary>
    /// Whether EKUs other than emailProtection may appear (§7.1.2.3 (f)): never in strict;
    /// in the others any but those in <see cref="SmimeProfiles.ForbiddenExtendedKeyUsages"/>.
    /// </summary>
    public bool AllowsOtherExtendedKeyUsages => Generation != SmimeGeneration.Strict;

    /// <summary>
    /// Whether subjectAltName may carry names other than mailboxes (rfc822Name,
    /// SmtpUTF8Mailbox); strict allows none (§7.1.2.3 (h)).
    /// </summary>
    public bool AllowsOtherSubjectAltNames => Generation != SmimeGeneration.Strict;

    /// <summary>The allowed keyUsage combinations (§7.1.2.3 (e)).</summary>
    public IReadOnlyList<SmimeKeyUsageRule> KeyUsageRules { get; }

    /// <summary>Subject attribute OIDs this profile allows or requires (§7.1.4.2.2).</summary>
    public IEnumerable<KeyValuePair<string, SmimeRequirement>> SubjectFields => _subjectFields;

    /// <summary>
    /// How the profile treats a subject attribute; unlisted attributes are forbidden.
    /// </summary>
    /// <param name="attributeOid">The attribute type OID, e.g. 2.5.4.10 for
    /// organizationName.</param>
    public SmimeRequirement SubjectRequirement(string attributeOid) =>
        _subjectFields.TryGetValue(attributeOid, out SmimeRequirement requirement)
            ? requirement
            : SmimeRequirement.Forbidden;

    /// <summary>Whether an EKU OID may appear in a certificate of this profile.</summary>
    /// <param name="oid">The key purpose OID.</param>
    public bool IsExtendedKeyUsageAllowed(string oid)
    {
        if (oid == SmimeProfiles.EmailProtectionOid)
        {
            return true;
        }

        return AllowsOtherExtendedKeyUsages
            && !SmimeProfiles.ForbiddenExtendedKeyUsages.Contains(oid);
    }

    /// <summary>Finds the rule a keyUsage value satisfies for a key family.</summary>
    /// <param name="family">The subject public key's family.</param>
    /// <param name="usage">The keyUsage bits.</param>
    /// <returns>The matching rule, or null when the combination is not allowed.</returns>
    public SmimeKeyUsageRule? FindKeyUsageRule(SmimeKeyFamily family, X509KeyUsageFlags usage) =>
        KeyUsageRules.FirstOrDefault(r => r.Family == family && r.Matches(usage));

    /// <summary>
    /// The rule for a family and purpose, or null when the family cannot serve it.
    /// </summary>
    public SmimeKeyUsageRule? KeyUsageRule(SmimeKeyFamily family, SmimeKeyPurpose purpose) =>
        KeyUsageRules.FirstOrDefault(r => r.Family == family && r.Purpose == purpose);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
