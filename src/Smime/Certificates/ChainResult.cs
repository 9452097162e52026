using System.Security.Cryptography.X509Certificates;

namespace Smime.Certificates;

/// <summary>The outcome of validating a certificate's path to a trust anchor.</summary>
/// <param name="Outcome">The named outcome.</param>
/// <param name="Reason">A sentence naming the certificate and what failed.</param>
/// <param name="Chain">The chain built, leaf first; empty when none.</param>
public sealed record ChainResult(
    ChainOutcome Outcome,
    string Reason,
    IReadOnlyList<X509Certificate2> Chain)
{
    public bool IsTrusted => Outcome == ChainOutcome.Trusted;
}

/// <summary>Named outcomes of path validation.</summary>
public enum ChainOutcome
{
    Trusted,
    NoPathToAnchor,
    Expired,
    NotYetValid,
    WrongUsage,
    Revoked,
    RevocationUnknown,
    Invalid,
    NotChecked,
}
