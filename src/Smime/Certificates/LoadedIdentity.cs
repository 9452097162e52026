using System.Security.Cryptography.X509Certificates;
using Smime.Cms;

namespace Smime.Certificates;

/// <summary>
/// A signing or decryption identity: a certificate with its private key attached or, for the
/// keys .NET cannot attach (Ed25519, X25519, X448; RFC 8410), beside it as PKCS#8.
/// </summary>
/// <param name="Certificate">The certificate; its key is attached when <paramref name="Key"/>
/// is null.</param>
/// <param name="Key">The certificate with its PKCS#8 key, for Ed25519, X25519 and X448.</param>
public sealed record LoadedIdentity(X509Certificate2 Certificate, CertificateKey? Key);
