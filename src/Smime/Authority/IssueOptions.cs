namespace Smime.Authority;

/// <summary>How <see cref="CertificateAuthority.Issue"/> issues one certificate.</summary>
public sealed class IssueOptions
{
    /// <summary>Validity used when none is given, in days (capped by the profile).</summary>
    public const int DefaultDays = 365;

    /// <summary>The S/MIME BR profile to issue under.</summary>
    public required SmimeProfile Profile { get; init; }

    /// <summary>
    /// Validity in days; <see cref="DefaultDays"/> or the profile's maximum if lower.
    /// </summary>
    public int? Days { get; init; }

    /// <summary>Signing only, key management only, or both (the default).</summary>
    public SmimeKeyPurpose Purpose { get; init; } = SmimeKeyPurpose.DualUse;

    /// <summary>
    /// The validated organizationName, replacing the CSR's; organization- and
    /// sponsor-validated profiles need one (S/MIME BR §7.1.4.2.2 (b)).
    /// </summary>
    public string? Organization { get; init; }

    /// <summary>
    /// The validated organizationIdentifier (e.g. "NTRGB-12345678"), needed by organization-
    /// and sponsor-validated profiles (S/MIME BR §7.1.4.2.2 (d)).
    /// </summary>
    public string? OrganizationIdentifier { get; init; }

    /// <summary>The start of validity; now (less a minute for clock skew) when null.</summary>
    public DateTimeOffset? NotBefore { get; init; }
}
