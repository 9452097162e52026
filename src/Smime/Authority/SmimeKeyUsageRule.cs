using System.Security.Cryptography.X509Certificates;

namespace Smime.Authority;

/// <summary>
/// One allowed key usage combination of S/MIME BR §7.1.2.3 (e): the bits that SHALL be set
/// and those that MAY be set for a key family and purpose; every other bit SHALL NOT be set.
/// </summary>
/// <param name="Family">The public key family the rule applies to.</param>
/// <param name="Purpose">What the key is used for.</param>
/// <param name="Required">Bits that SHALL be set.</param>
/// <param name="Optional">Bits that MAY be set in addition.</param>
public sealed record SmimeKeyUsageRule(
    SmimeKeyFamily Family,
    SmimeKeyPurpose Purpose,
    X509KeyUsageFlags Required,
    X509KeyUsageFlags Optional)
{
    /// <summary>Whether a keyUsage value satisfies this rule exactly.</summary>
    /// <param name="usage">The keyUsage bits of a certificate.</param>
    /// <returns>True when every required bit is set and no bit outside the rule is.</returns>
    public bool Matches(X509KeyUsageFlags usage) =>
        (usage & Required) == Required && (usage & ~(Required | Optional)) == 0;
}
