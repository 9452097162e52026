using Smime.Cms;

namespace Smime.Mime;

/// <summary>A signed layer found in a message, with the digests of what it signs.</summary>
/// <param name="Data">The decoded SignedData.</param>
/// <param name="PendingDigests">The digests of the signed content, perhaps still being
/// computed on another thread (<see cref="RawEntityReader.HashSoon"/>).</param>
/// <param name="Part">The part as a person reads it, for reasons.</param>
/// <param name="WholeMessage">Whether the signed content is the whole message body.</param>
internal sealed record SignedLayer(
    SignedData Data,
    Task<EntityDigests> PendingDigests,
    string Part,
    bool WholeMessage)
{
    /// <summary>A layer whose digests are known.</summary>
    public SignedLayer(SignedData data, EntityDigests digests, string part, bool wholeMessage)
        : this(data, Task.FromResult(digests), part, wholeMessage)
    {
    }

    /// <summary>The digests; waits for them while they are computed. A failure to read the
    /// signed bytes is thrown here as it was raised.</summary>
    public EntityDigests Digests => PendingDigests.GetAwaiter().GetResult();
}
