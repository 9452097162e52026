using Smime.Cms;

namespace Smime.Certificates;

/// <summary>
/// What a sender's signed mail said about them (RFC 8551 §2.5.2, §2.7.1): their
/// SMIMECapabilities and SMIMEEncryptionKeyPreference, with the signingTime they came from.
/// </summary>
/// <param name="Address">The sender's address, domain lower-cased.</param>
/// <param name="SigningTime">The signingTime of the message they came from, when it had one.</param>
/// <param name="Capabilities">The capabilities in the sender's order of preference.</param>
/// <param name="PreferredThumbprint">The certificate the sender prefers for encryption.</param>
public sealed record SenderRecord(
    string Address,
    DateTimeOffset? SigningTime,
    IReadOnlyList<SmimeCapability> Capabilities,
    string? PreferredThumbprint);
