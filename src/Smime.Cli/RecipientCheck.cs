using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;

namespace Smime.Cli;

/// <summary>
/// Whether a certificate given with --to may be encrypted to: the checks the store's lookup
/// (<see cref="Smime.Certificates.RecipientLookup"/>) makes of its own certificates, with the key usage its key
/// type needs.
/// </summary>
internal static class RecipientCheck
{
    private const string EmailProtection = "1.3.6.1.5.5.7.3.4";
    private const string AnyExtendedKeyUsage = "2.5.29.37.0";

    /// <summary>Why the certificate cannot be encrypted to at the given time; null when it can.</summary>
    public static string? Refusal(X509Certificate2 certificate, DateTimeOffset at)
    {
        if (certificate.NotAfter.ToUniversalTime() < at.UtcDateTime)
        {
            return $"it expired on {certificate.NotAfter.ToUniversalTime():u}";
        }

        if (certificate.NotBefore.ToUniversalTime() > at.UtcDateTime)
        {
            return $"it is not valid before {certificate.NotBefore.ToUniversalTime():u}";
        }

        // RFC 8550 §4.4.2: an RSA key transports the content key (keyEncipherment); an EC or
        // X25519 key agrees on a key-encryption key (keyAgreement, RFC 5753, RFC 8418).
        X509KeyUsageFlags? usage = certificate.Extensions.OfType<X509KeyUsageExtension>()
            .FirstOrDefault()?.KeyUsages;
        (X509KeyUsageFlags needed, string name) = certificate.PublicKey.Oid.Value switch
        {
            Oids.Rsa => (X509KeyUsageFlags.KeyEncipherment, "keyEncipherment"),
            Oids.EcPublicKey or Oids.X25519 or Oids.X448
                => (X509KeyUsageFlags.KeyAgreement, "keyAgreement"),
            _ => (X509KeyUsageFlags.None, ""),
        };
        if (usage is { } flags && needed != X509KeyUsageFlags.None && (flags & needed) == 0)
        {
            return $"its keyUsage lacks {name}";
        }

        // RFC 8550 §4.4.4: an extendedKeyUsage, when present, must allow mail.
        X509EnhancedKeyUsageExtension? eku = certificate.Extensions
            .OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is not null && !eku.EnhancedKeyUsages.Cast<Oid>()
            .Any(o => o.Value is EmailProtection or AnyExtendedKeyUsage))
        {
            return "its extendedKeyUsage has neither emailProtection nor anyExtendedKeyUsage";
        }

        return null;
    }
}
