using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;

namespace Smime.Cli;

/// <summary>What a signature carries besides the signer's certificate: --chain, issuers.</summary>
internal static class SigningChain
{
    /// <summary>Adds the certificates of every --chain FILE.</summary>
    public static void AddFiles(CmsSigner signer, ParseResult result, Option<string[]>? chain)
    {
        foreach (string file in chain is null ? [] : result.GetValue(chain) ?? [])
        {
            Add(signer, CertificateLoader.LoadCertificates(file));
        }
    }

    /// <summary>
    /// Adds the signer's issuers, up to but not including the root, found among the
    /// certificates it already carries and <paramref name="available"/> (the store's), so a
    /// reader who trusts only the root can build the path (RFC 8551 §2.3).
    /// </summary>
    public static void Complete(CmsSigner signer, IEnumerable<X509Certificate2> available)
    {
        X509Certificate2[] candidates = [.. signer.ExtraCertificates, .. available];
        Add(signer, IssuerChain.Find(signer.Certificate, candidates));
        if (signer.EncryptionCertificate is { } encryption)
        {
            Add(signer, IssuerChain.Find(encryption, candidates));
        }
    }

    private static void Add(CmsSigner signer, IEnumerable<X509Certificate2> certificates)
    {
        var present = new HashSet<string>(
            signer.ExtraCertificates.Select(c => c.Thumbprint), StringComparer.Ordinal)
        {
            signer.Certificate.Thumbprint,
        };
        foreach (X509Certificate2 certificate in certificates)
        {
            if (present.Add(certificate.Thumbprint))
            {
                signer.ExtraCertificates.Add(certificate);
            }
        }
    }
}
