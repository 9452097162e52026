using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;

namespace Smime.Certificates;

/// <summary>Facts about a certificate that the store indexes and the look-ups test.</summary>
internal static class CertificateFacts
{
    /// <summary>SHA-256 of the DER, upper-case hex.</summary>
    public static string Thumbprint(X509Certificate2 certificate) =>
        certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>An address with its domain lower-cased; the local part is kept (RFC 5321 §2.4).</summary>
    public static string NormalizeAddress(string address)
    {
        string trimmed = address.Trim();
        int at = trimmed.LastIndexOf('@');
        return at < 0
            ? trimmed
            : string.Concat(trimmed.AsSpan(0, at + 1), trimmed[(at + 1)..].ToLowerInvariant());
    }

    public static X509KeyUsageFlags? KeyUsage(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault()?.KeyUsages;

    public static IReadOnlyList<string>? ExtendedKeyUsages(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()
            ?.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? "").ToArray();

    /// <summary>
    /// Whether the certificate may carry a content-encryption key (RFC 8550 §4.4.2): keyUsage,
    /// when present, has what its key type needs - keyEncipherment for an RSA key (key
    /// transport), keyAgreement for an EC, X25519 or X448 key (RFC 5753, RFC 8418) - and an
    /// EKU, when present, has emailProtection or anyExtendedKeyUsage (§4.4.4).
    /// </summary>
    public static bool IsEncryptionCapable(X509Certificate2 certificate, out string? why)
    {
        why = null;
        (X509KeyUsageFlags needed, string name) = certificate.PublicKey.Oid.Value switch
        {
            Oids.Rsa => (X509KeyUsageFlags.KeyEncipherment, "keyEncipherment"),
            Oids.EcPublicKey or Oids.X25519 or Oids.X448
                => (X509KeyUsageFlags.KeyAgreement, "keyAgreement"),
            _ => (X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement,
                "keyEncipherment or keyAgreement"),
        };
        if (KeyUsage(certificate) is { } flags && (flags & needed) == 0)
        {
            why = $"its keyUsage lacks {name}";
            return false;
        }

        if (!IsEmailEku(certificate))
        {
            why = "its extendedKeyUsage has neither emailProtection nor anyExtendedKeyUsage";
            return false;
        }

        return true;
    }

    /// <summary>Whether the certificate may sign mail (RFC 8550 §4.4.2, §4.4.4).</summary>
    public static bool IsSigningCapable(X509Certificate2 certificate)
    {
        const X509KeyUsageFlags signing =
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation;
        return (KeyUsage(certificate) is not { } flags || (flags & signing) != 0)
            && IsEmailEku(certificate);
    }

    public static bool IsValidAt(X509Certificate2 certificate, DateTimeOffset at) =>
        certificate.NotBefore.ToUniversalTime() <= at.UtcDateTime
        && at.UtcDateTime <= certificate.NotAfter.ToUniversalTime();

    public static string DescribeKey(X509Certificate2 certificate)
    {
        string oid = certificate.PublicKey.Oid.Value ?? "";
        switch (oid)
        {
            case Oids.Rsa:
                using (RSA? rsa = certificate.GetRSAPublicKey())
                {
                    return $"RSA {rsa?.KeySize}";
                }

            case Oids.EcPublicKey:
                using (ECDsa? ec = certificate.GetECDsaPublicKey())
                {
                    string curve = ec?.ExportParameters(false).Curve.Oid.FriendlyName ?? "?";
                    return $"EC {curve}";
                }

            case Oids.Ed25519:
                return "Ed25519";
            case Oids.X25519:
                return "X25519";
            default:
                return certificate.PublicKey.Oid.FriendlyName ?? oid;
        }
    }

    private static bool IsEmailEku(X509Certificate2 certificate) =>
        ExtendedKeyUsages(certificate) is not { } ekus
        || ekus.Any(o => o is Oids.EmailProtection or Oids.AnyExtendedKeyUsage);
}
