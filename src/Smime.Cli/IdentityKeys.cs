using System.Security.Cryptography.X509Certificates;
using Smime.Certificates;
using Smime.Cms;

namespace Smime.Cli;

/// <summary>An identity's keys as the reader takes them: attached, or PKCS#8 beside.</summary>
internal static class IdentityKeys
{
    /// <summary>The certificate with its key attached, when it has one.</summary>
    public static IReadOnlyList<X509Certificate2> Attached(LoadedIdentity? identity) =>
        identity is { Key: null } ? [identity.Certificate] : [];

    /// <summary>The X25519, X448 (or Ed25519) key held beside the certificate.</summary>
    public static IReadOnlyList<CertificateKey> Raw(LoadedIdentity? identity) =>
        identity?.Key is { } key ? [key] : [];
}
