namespace Smime.Mime;

/// <summary>
/// The verdict over a message's signatures. Valid only with at least one signer, every signer
/// valid and trusted, the signed part the whole body, and a signer's address matching the sender.
/// </summary>
public sealed class Verdict
{
    public required VerdictOutcome Outcome { get; init; }

    /// <summary>Why, as a sentence naming the signer, certificate or part.</summary>
    public required string Reason { get; init; }

    /// <summary>Every signer found, valid or not.</summary>
    public IReadOnlyList<SignerResult> Signers { get; init; } = [];

    /// <summary>The From addresses the signers were compared with; each must match one.</summary>
    public IReadOnlyList<string> SenderAddresses { get; init; } = [];

    /// <summary>Whether the signed entity is the whole message body.</summary>
    public bool WholeMessageSigned { get; init; }

    /// <summary>True only for <see cref="VerdictOutcome.Valid"/>.</summary>
    public bool IsValid => Outcome == VerdictOutcome.Valid;
}

/// <summary>The named outcomes of verification.</summary>
public enum VerdictOutcome
{
    /// <summary>Signed in whole, every signer valid and trusted, address matching.</summary>
    Valid,

    /// <summary>The message carries no signature at all.</summary>
    NotSigned,

    /// <summary>A SignedData with zero SignerInfos.</summary>
    NoSigners,

    /// <summary>A signature does not verify, or uses a refused algorithm.</summary>
    BadSignature,

    /// <summary>Signatures verify but a signer's certificate does not chain to a trust anchor.</summary>
    Untrusted,

    /// <summary>A From address is in no signer's certificate, or a signer's in no From.</summary>
    SenderMismatch,

    /// <summary>The signed part is only one part among unsigned ones.</summary>
    PartiallySigned,

    /// <summary>The signature structure or the signed part is malformed.</summary>
    Malformed,
}
