namespace Smime.Certificates;

/// <summary>How <see cref="ChainValidator"/> validates a path.</summary>
public sealed class ChainValidationOptions
{
    /// <summary>The time to validate at; now when not set.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>
    /// Checks every certificate of the path but the anchor for revocation; null checks none
    /// (the outcome then says nothing about revocation).
    /// </summary>
    public RevocationChecker? Revocation { get; init; }

    /// <summary>
    /// Require the leaf's keyUsage and EKU to allow signing (RFC 8550 §4.4); off for a
    /// recipient's certificate, whose encryption usage the caller checks.
    /// </summary>
    public bool CheckSigningUsage { get; init; } = true;

    /// <summary>
    /// The signer's signingTime (RFC 5652 §11.3), if any. When it is not after the validation
    /// time, the path is validated at it as well as at <see cref="At"/>; a certificate expired
    /// or not yet valid at the signing time is the stronger failure. A signingTime is only the
    /// signer's claim, so a certificate expired now stays <see cref="ChainOutcome.Expired"/>
    /// even when it was valid when signed; the reason says so.
    /// </summary>
    public DateTimeOffset? SigningTime { get; init; }
}
