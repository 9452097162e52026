namespace Smime.Cms;

/// <summary>An attribute of a SignerInfo: its type and the DER of each value (RFC 5652 §5.3).</summary>
public sealed record CmsAttribute(string Oid, IReadOnlyList<ReadOnlyMemory<byte>> Values);
