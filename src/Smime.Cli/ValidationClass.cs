using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Authority;

namespace Smime.Cli;

/// <summary>
/// The validation class a certificate claims through its CA/B S/MIME policy OID, as printed
/// by `verify` and `certs lint`; a JSON contract like the verdict's.
/// </summary>
/// <param name="Profile">The profile name, such as "mailbox-strict".</param>
/// <param name="LegacyClass">The old class name, such as "class 1".</param>
/// <param name="PolicyOid">The reserved policy OID, such as 2.23.140.1.5.1.3.</param>
internal sealed record ValidationClass(string Profile, string LegacyClass, string PolicyOid)
{
    public static ValidationClass Of(SmimeProfile profile) =>
        new(profile.Name, profile.LegacyClass, profile.PolicyOid);

    /// <summary>
    /// The class a certificate claims, or null when it names no single profile or does not
    /// decode: the certificate comes from mail, and printing a verdict must not fail on it.
    /// </summary>
    public static ValidationClass? Of(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        try
        {
            return CertificateLinter.ClaimedProfile(certificate) is { } profile
                ? Of(profile)
                : null;
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return null;
        }
    }

    public override string ToString() => $"{Profile} ({LegacyClass}, policy {PolicyOid})";
}
