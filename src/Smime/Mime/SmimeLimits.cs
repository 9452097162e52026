namespace Smime.Mime;

/// <summary>Limits on hostile input.</summary>
public static class SmimeLimits
{
    /// <summary>S/MIME layers (signed, encrypted, compressed) nested in one message.</summary>
    public const int MaxLayers = 8;

    /// <summary>Signers in one SignedData.</summary>
    public const int MaxSigners = 16;

    /// <summary>Signed parts searched for beside unsigned ones (a partially signed message).</summary>
    public const int MaxSignedParts = 16;
}
