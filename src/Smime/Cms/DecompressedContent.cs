namespace Smime.Cms;

/// <summary>The result of reading a CompressedData.</summary>
/// <param name="Content">The inflated content.</param>
/// <param name="ContentType">The compressed content's type, id-data for MIME.</param>
public sealed record DecompressedContent(byte[] Content, string ContentType);
