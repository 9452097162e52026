using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;

namespace Smime.Authority;

/// <summary>
/// The twelve subscriber profiles of the CA/Browser Forum S/MIME Baseline Requirements
/// (version 1.0.x): four certificate types in three generations, looked up by name, by old
/// class name or by policy OID.
/// </summary>
public static class SmimeProfiles
{
    /// <summary>
    /// The arc under which the Requirements reserve their policy OIDs (§7.1.6.1).
    /// </summary>
    public const string PolicyOidArc = "2.23.140.1.5";

    /// <summary>id-kp-emailProtection (RFC 5280 §4.2.1.12), required in every profile.</summary>
    public const string EmailProtectionOid = "1.3.6.1.5.5.7.3.4";

    /// <summary>Longest validity of strict and multipurpose certificates (§6.3.2).</summary>
    public const int MaximumValidityDays = 825;

    /// <summary>Longest validity of legacy certificates (§6.3.2).</summary>
    public const int LegacyMaximumValidityDays = 1185;

    /// <summary>Smallest RSA modulus allowed (§6.1.5).</summary>
    public const int MinimumRsaKeySize = 2048;

    /// <summary>
    /// The generation chosen when a name gives only the type ("mailbox", "class1").
    /// </summary>
    public const SmimeGeneration DefaultGeneration = SmimeGeneration.Strict;

    /// <summary>
    /// EKUs that SHALL NOT appear in multipurpose and legacy certificates (§7.1.2.3 (f)):
    /// serverAuth, codeSigning, timeStamping and anyExtendedKeyUsage.
    /// </summary>
    public static IReadOnlySet<string> ForbiddenExtendedKeyUsages { get; } =
        new[]
        {
            "1.3.6.1.5.5.7.3.1",
            "1.3.6.1.5.5.7.3.3",
            "1.3.6.1.5.5.7.3.8",
            "2.5.29.37.0",
        }.ToFrozenSet();

    /// <summary>Subject attribute type OIDs used by the profiles (X.520, PKCS #9).</summary>
    public static class Attributes
    {
        /// <summary>commonName.</summary>
        public const string CommonName = "2.5.4.3";

        /// <summary>organizationName.</summary>
        public const string OrganizationName = "2.5.4.10";

        /// <summary>organizationalUnitName.</summary>
        public const string OrganizationalUnitName = "2.5.4.11";

        /// <summary>organizationIdentifier.</summary>
        public const string OrganizationIdentifier = "2.5.4.97";

        /// <summary>givenName.</summary>
        public const string GivenName = "2.5.4.42";

        /// <summary>surname.</summary>
        public const string Surname = "2.5.4.4";

        /// <summary>pseudonym.</summary>
        public const string Pseudonym = "2.5.4.65";

        /// <summary>serialNumber (of the subject, not the certificate).</summary>
        public const string SerialNumber = "2.5.4.5";

        /// <summary>emailAddress (PKCS #9).</summary>
        public const string EmailAddress = "1.2.840.113549.1.9.1";

        /// <summary>title.</summary>
        public const string Title = "2.5.4.12";

        /// <summary>streetAddress.</summary>
        public const string StreetAddress = "2.5.4.9";

        /// <summary>localityName.</summary>
        public const string LocalityName = "2.5.4.7";

        /// <summary>stateOrProvinceName.</summary>
        public const string StateOrProvinceName = "2.5.4.8";

        /// <summary>postalCode.</summary>
        public const string PostalCode = "2.5.4.17";

        /// <summary>countryName.</summary>
        public const string CountryName = "2.5.4.6";
    }

    private static readonly IReadOnlyList<SmimeProfile> s_all = Build();

    /// <summary>
    /// All twelve profiles, by type then generation (legacy, multipurpose, strict).
    /// </summary>
    public static IReadOnlyList<SmimeProfile> All => s_all;

    /// <summary>
    /// The names <see cref="Parse"/> accepts besides "type-generation", with meaning.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ClassNames { get; } =
    [
        new("class1", "mailbox-validated: control of the address only"),
        new("class2", "organization-validated (class2-sponsor: sponsor-validated)"),
        new("class3", "individual-validated: identity checked remotely"),
        new("class4", "individual-validated: identity checked in person"),
    ];

    /// <summary>The profile of a type and generation.</summary>
    public static SmimeProfile Get(SmimeValidationType type, SmimeGeneration generation) =>
        s_all.Single(p => p.ValidationType == type && p.Generation == generation);

    /// <summary>The profile whose reserved policy OID this is.</summary>
    /// <param name="policyOid">A certificate policy OID.</param>
    /// <param name="profile">The profile, or null when the OID is not one of the twelve.</param>
    public static bool TryFromPolicyOid(
        string policyOid,
        [NotNullWhen(true)] out SmimeProfile? profile)
    {
        profile = s_all.FirstOrDefault(p => p.PolicyOid == policyOid);
        return profile is not null;
    }

    /// <summary>
    /// Parses a profile name: "mailbox-strict", "organization-multipurpose", "sponsor-legacy",
    /// "individual" (strict), a class name ("class1", "class 2", "class2-sponsor",
    /// "class3-multipurpose") or a policy OID. Case, spaces and underscores do not matter.
    /// </summary>
    /// <exception cref="ArgumentException">The name is none of these; the message lists
    /// them.</exception>
    public static SmimeProfile Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        if (TryParse(name, out SmimeProfile? profile))
        {
            return profile;
        }

        throw new ArgumentException(
            $"Unknown S/MIME profile '{name}'. Use TYPE-GENERATION with TYPE one of mailbox, "
                + "organization, sponsor, individual and GENERATION one of strict, multipurpose, "
                + "legacy (e.g. mailbox-strict), or class1, class2, class2-sponsor, class3, "
                + "class4.",
            nameof(name));
    }

    /// <summary>Parses a profile name as <see cref="Parse"/> does, without throwing.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out SmimeProfile? profile)
    {
        profile = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        string trimmed = name.Trim();
        if (trimmed.StartsWith(PolicyOidArc + ".", StringComparison.Ordinal))
        {
            return TryFromPolicyOid(trimmed, out profile);
        }

        string normal = trimmed.ToLowerInvariant().Replace(" ", "").Replace('_', '-');
        string[] parts = normal.Split('-', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 3)
        {
            return false;
        }

        SmimeValidationType type;
        int next = 1;
        if (parts[0].StartsWith("class", StringComparison.Ordinal))
        {
            string digit = parts[0].Length > 5 ? parts[0][5..] : (parts.Length > 1 ? parts[1] : "");
            if (parts[0].Length == 5)
            {
                next = 2;
            }

            if (!TryClass(digit, out type))
            {
                return false;
            }

            // Class 2 covered both organisation certificates and those naming a person of
            // the organisation; the Requirements split them into two types.
            if (type == SmimeValidationType.Organization
                && parts.Length > next
                && TryType(parts[next], out SmimeValidationType refined)
                && refined is SmimeValidationType.Sponsor or SmimeValidationType.Organization)
            {
                type = refined;
                next++;
            }
        }
        else if (!TryType(parts[0], out type))
        {
            return false;
        }

        SmimeGeneration generation = DefaultGeneration;
        if (parts.Length > next)
        {
            if (parts.Length > next + 1 || !TryGeneration(parts[next], out generation))
            {
                return false;
            }
        }

        profile = Get(type, generation);
        return true;
    }

    private static bool TryClass(string digit, out SmimeValidationType type)
    {
        type = digit switch
        {
            "1" => SmimeValidationType.Mailbox,
            "2" => SmimeValidationType.Organization,
            "3" or "4" => SmimeValidationType.Individual,
            _ => 0,
        };
        return type != 0;
    }

    private static bool TryType(string word, out SmimeValidationType type)
    {
        type = word switch
        {
            "mailbox" or "mv" => SmimeValidationType.Mailbox,
            "organization" or "organisation" or "ov" => SmimeValidationType.Organization,
            "sponsor" or "sv" => SmimeValidationType.Sponsor,
            "individual" or "iv" => SmimeValidationType.Individual,
            _ => 0,
        };
        return type != 0;
    }

    private static bool TryGeneration(string word, out SmimeGeneration generation)
    {
        generation = word switch
        {
            "strict" => SmimeGeneration.Strict,
            "multipurpose" => SmimeGeneration.Multipurpose,
            "legacy" => SmimeGeneration.Legacy,
            _ => 0,
        };
        return generation != 0;
    }

    private static IReadOnlyList<SmimeProfile> Build()
    {
        var profiles = new List<SmimeProfile>();
        foreach (SmimeValidationType type in Enum.GetValues<SmimeValidationType>())
        {
            foreach (SmimeGeneration generation in Enum.GetValues<SmimeGeneration>())
            {
                profiles.Add(new SmimeProfile(
                    type, generation, KeyUsageRules(generation), SubjectFields(type, generation)));
            }
        }

        return profiles;
    }

    // S/MIME BR §7.1.2.3 (e). The same table holds for all four types; legacy alone lets RSA
    // key-management certificates also assert dataEncipherment.
    private static IReadOnlyList<SmimeKeyUsageRule> KeyUsageRules(SmimeGeneration generation)
    {
        const X509KeyUsageFlags Sign = X509KeyUsageFlags.DigitalSignature;
        const X509KeyUsageFlags NonRep = X509KeyUsageFlags.NonRepudiation;
        const X509KeyUsageFlags KeyEnc = X509KeyUsageFlags.KeyEncipherment;
        const X509KeyUsageFlags Agree = X509KeyUsageFlags.KeyAgreement;
        const X509KeyUsageFlags OnlyOne =
            X509KeyUsageFlags.EncipherOnly | X509KeyUsageFlags.DecipherOnly;
        X509KeyUsageFlags dataEnc = generation == SmimeGeneration.Legacy
            ? X509KeyUsageFlags.DataEncipherment
            : X509KeyUsageFlags.None;

        return
        [
            new(SmimeKeyFamily.Rsa, SmimeKeyPurpose.SigningOnly, Sign, NonRep),
            new(SmimeKeyFamily.Rsa, SmimeKeyPurpose.KeyManagementOnly, KeyEnc, dataEnc),
            new(SmimeKeyFamily.Rsa, SmimeKeyPurpose.DualUse, Sign | KeyEnc, NonRep | dataEnc),
            new(SmimeKeyFamily.EllipticCurve, SmimeKeyPurpose.SigningOnly, Sign, NonRep),
            new(SmimeKeyFamily.EllipticCurve, SmimeKeyPurpose.KeyManagementOnly, Agree, OnlyOne),
            new(SmimeKeyFamily.EllipticCurve, SmimeKeyPurpose.DualUse,
                Sign | Agree, NonRep | OnlyOne),
            new(SmimeKeyFamily.EdDsa, SmimeKeyPurpose.SigningOnly, Sign, NonRep),
            new(SmimeKeyFamily.Xdh, SmimeKeyPurpose.KeyManagementOnly, Agree, OnlyOne),
        ];
    }

    // S/MIME BR §7.1.4.2.2: what each type's subject may carry. Strict drops the postal
    // fields (streetAddress, postalCode) and organizationalUnitName.
    private static FrozenDictionary<string, SmimeRequirement> SubjectFields(
        SmimeValidationType type, SmimeGeneration generation)
    {
        const SmimeRequirement May = SmimeRequirement.Optional;
        const SmimeRequirement Shall = SmimeRequirement.Required;
        var fields = new Dictionary<string, SmimeRequirement>
        {
            [Attributes.CommonName] = May,
            [Attributes.SerialNumber] = May,
            [Attributes.EmailAddress] = May,
        };

        if (type == SmimeValidationType.Mailbox)
        {
            return fields.ToFrozenDictionary();
        }

        bool strict = generation == SmimeGeneration.Strict;
        fields[Attributes.LocalityName] = May;
        fields[Attributes.StateOrProvinceName] = May;
        fields[Attributes.CountryName] = May;
        if (!strict)
        {
            fields[Attributes.StreetAddress] = May;
            fields[Attributes.PostalCode] = May;
        }

        if (type is SmimeValidationType.Organization or SmimeValidationType.Sponsor)
        {
            fields[Attributes.OrganizationName] = Shall;
            fields[Attributes.OrganizationIdentifier] = Shall;
            if (!strict)
            {
                fields[Attributes.OrganizationalUnitName] = May;
            }
        }

        if (type is SmimeValidationType.Sponsor or SmimeValidationType.Individual)
        {
            fields[Attributes.GivenName] = May;
            fields[Attributes.Surname] = May;
            fields[Attributes.Pseudonym] = May;
            fields[Attributes.Title] = May;
        }

        return fields.ToFrozenDictionary();
    }
}
