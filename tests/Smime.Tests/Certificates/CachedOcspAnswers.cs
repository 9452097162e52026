using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Tests.Support;

namespace Smime.Tests.Certificates;

/// <summary>OCSP answers put straight into a store's cache, for the cache's tests.</summary>
internal static class CachedOcspAnswers
{
    /// <summary>
    /// Caches the answer <see cref="RevocationPki.MakeOcspResponse"/> makes for the certificate,
    /// as if fetched from the PKI's responder.
    /// </summary>
    public static void CacheOcspAnswer(
        this RevocationPki pki,
        CertificateStore store,
        X509Certificate2 certificate,
        bool revoked,
        DateTimeOffset thisUpdate,
        DateTimeOffset nextUpdate) =>
        store.StoreOcspResponse(certificate, pki.Intermediate,
            pki.MakeOcspResponse(certificate, revoked, thisUpdate, nextUpdate),
            thisUpdate, nextUpdate, pki.OcspUrl);
}
