namespace Smime.Mime;

/// <summary>What reading a message found: its layers, outermost first, and the verdict.</summary>
/// <param name="Layers">Each S/MIME layer met, outermost first.</param>
/// <param name="Verdict">The signature verdict over the whole message.</param>
public sealed record ReadResult(IReadOnlyList<Layer> Layers, Verdict Verdict);

/// <summary>The kinds of S/MIME layer.</summary>
public enum LayerKind
{
    ClearSigned,
    OpaqueSigned,
    EnvelopedData,
    AuthEnvelopedData,
    CompressedData,
}

/// <summary>One S/MIME layer.</summary>
/// <param name="Kind">What the layer is.</param>
/// <param name="Description">As a person reads it: algorithm, recipient or signers.</param>
public sealed record Layer(LayerKind Kind, string Description);
