namespace Smime.Certificates;

/// <summary>The outcome of checking one certificate's revocation.</summary>
/// <param name="Status">Good, revoked or unknown.</param>
/// <param name="Reason">A sentence naming the certificate and where the answer came from.</param>
public sealed record RevocationCheck(RevocationStatus Status, string Reason);
