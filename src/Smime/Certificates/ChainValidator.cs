using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>Builds and checks a certificate's path to the given trust anchors (RFC 5280).</summary>
public static class ChainValidator
{
    /// <summary>
    /// Validates the certificate's chain against the anchors only (never the system store),
    /// at the given time. Revocation is not checked yet.
    /// </summary>
    public static ChainResult Validate(
        X509Certificate2 certificate,
        X509Certificate2Collection trustAnchors,
        X509Certificate2Collection extraCertificates,
        DateTimeOffset? at = null) => throw new NotImplementedException();
}
