namespace Smime.Mime;

/// <summary>Why a message was not harvested into the store.</summary>
public enum NotHarvestedReason
{
    /// <summary>The message carries no signature (not counted as skipped).</summary>
    NotSigned,

    /// <summary>The file or message could not be read, or is too large.</summary>
    Unreadable,

    /// <summary>A signature does not verify, or the signature structure is malformed.</summary>
    BadSignature,

    /// <summary>A signer's path does not reach a trust anchor, or is otherwise invalid.</summary>
    Untrusted,

    /// <summary>A certificate of a signer's path is revoked.</summary>
    Revoked,

    /// <summary>A signer's revocation could not be determined.</summary>
    RevocationUnknown,

    /// <summary>A certificate of a signer's path is expired or not yet valid.</summary>
    Expired,

    /// <summary>A From address is in no signer's certificate, or a signer's in no From.</summary>
    SenderMismatch,

    /// <summary>Only a part of the message is signed.</summary>
    PartiallySigned,
}
