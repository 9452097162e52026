namespace Smime.Cms;

/// <summary>One entry of SMIMECapabilities (RFC 8551 §2.5.2): an algorithm and its parameters.</summary>
/// <param name="Oid">The capability's OID.</param>
/// <param name="Parameters">The DER of the parameters, or empty when absent.</param>
public sealed record SmimeCapability(string Oid, ReadOnlyMemory<byte> Parameters);
