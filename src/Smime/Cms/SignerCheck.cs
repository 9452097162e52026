using System.Security.Cryptography.X509Certificates;

namespace Smime.Cms;

/// <summary>The outcome of checking one SignerInfo's signature.</summary>
/// <param name="Certificate">The certificate whose key verified the signature, or the first
/// candidate tried when none did; null when no certificate matched the signer.</param>
/// <param name="IsValid">Whether the signature verified.</param>
/// <param name="Failure">Why it did not, as a sentence; null when valid.</param>
/// <param name="Warnings">Warnings even when valid, such as a SHA-1 digest.</param>
public sealed record SignerCheck(
    X509Certificate2? Certificate,
    bool IsValid,
    string? Failure,
    IReadOnlyList<string> Warnings);
