using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>
/// The CA certificates a signer sends along (RFC 8551 §2.3: "SHOULD include ... any
/// intermediate certificates"), so a reader who trusts only the root can build the path.
/// </summary>
public static class IssuerChain
{
    /// <summary>
    /// The issuers of <paramref name="certificate"/> found among <paramref name="candidates"/>,
    /// nearest first, up to but not including a self-signed root (the reader must hold that
    /// as an anchor anyway). Only signatures and names are checked, not validity or trust: the
    /// reader validates the path.
    /// </summary>
    public static IReadOnlyList<X509Certificate2> Find(
        X509Certificate2 certificate,
        IEnumerable<X509Certificate2> candidates)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(candidates);

        // Only a CA below a root can be sent along. Without one among the candidates there is
        // nothing to find, and the platform's chain engine (whose first use reads the system's
        // certificate folders, ~0.1 s) is not started.
        List<X509Certificate2> pool = [.. candidates];
        if (IsSelfIssued(certificate) || pool.All(IsSelfIssued))
        {
            return [];
        }

        using var chain = new X509Chain();
        X509ChainPolicy policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationFlags = X509VerificationFlags.AllFlags;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        foreach (X509Certificate2 candidate in pool)
        {
            if (IsSelfIssued(candidate))
            {
                policy.CustomTrustStore.Add(candidate);
            }
            else
            {
                policy.ExtraStore.Add(candidate);
            }
        }

        // The status does not matter here (expired, untrusted root, partial chain): the
        // elements found are what the reader needs to build its own path.
        chain.Build(certificate);
        var issuers = new List<X509Certificate2>();
        foreach (X509ChainElement element in chain.ChainElements.Skip(1))
        {
            if (IsSelfIssued(element.Certificate))
            {
                break;
            }

            issuers.Add(X509CertificateLoader.LoadCertificate(element.Certificate.RawData));
        }

        return issuers;
    }

    private static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
}
