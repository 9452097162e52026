using Smime.Cms;

namespace Smime.Mime;

/// <summary>A signed layer found in a message, with the digests of what it signs.</summary>
/// <param name="Data">The decoded SignedData.</param>
/// <param name="Digests">The digests of the signed content.</param>
/// <param name="Part">The part as a person reads it, for reasons.</param>
/// <param name="WholeMessage">Whether the signed content is the whole message body.</param>
internal sealed record SignedLayer(
    SignedData Data,
    EntityDigests Digests,
    string Part,
    bool WholeMessage);
