using Smime.Cms;

namespace Smime.Certificates;

/// <summary>Chooses the content cipher from what recipients announced (RFC 8551 §2.7.1).</summary>
public static class AlgorithmChoice
{
    /// <summary>What is chosen when nothing is known about any recipient.</summary>
    public const ContentEncryptionAlgorithm Default = ContentEncryptionAlgorithm.Aes256Gcm;

    // The ciphers we write, strongest first; 3DES and RC2 are never chosen (RFC 8551 §2.7).
    private static readonly (string Oid, ContentEncryptionAlgorithm Algorithm)[] s_producible =
    [
        (Oids.Aes256Gcm, ContentEncryptionAlgorithm.Aes256Gcm),
        (Oids.ChaCha20Poly1305, ContentEncryptionAlgorithm.ChaCha20Poly1305),
        (Oids.Aes128Gcm, ContentEncryptionAlgorithm.Aes128Gcm),
        (Oids.Aes256Cbc, ContentEncryptionAlgorithm.Aes256Cbc),
        (Oids.Aes192Cbc, ContentEncryptionAlgorithm.Aes192Cbc),
        (Oids.Aes128Cbc, ContentEncryptionAlgorithm.Aes128Cbc),
    ];

    /// <summary>
    /// The first entry of the first known recipient's SMIMECapabilities that we can produce
    /// and that every other recipient with known capabilities lists too; <see cref="Default"/>
    /// when nothing is known or nothing is common.
    /// </summary>
    public static ContentEncryptionAlgorithm Choose(
        IEnumerable<IReadOnlyList<SmimeCapability>> recipientCapabilities,
        out string reason)
    {
        ArgumentNullException.ThrowIfNull(recipientCapabilities);

        List<HashSet<string>> known = recipientCapabilities
            .Where(c => c.Count > 0)
            .Select(c => c.Select(k => k.Oid).ToHashSet(StringComparer.Ordinal))
            .ToList();
        List<IReadOnlyList<SmimeCapability>> ordered = recipientCapabilities
            .Where(c => c.Count > 0)
            .ToList();
        if (ordered.Count == 0)
        {
            reason = "no recipient's capabilities are known";
            return Default;
        }

        foreach (SmimeCapability capability in ordered[0])
        {
            foreach ((string oid, ContentEncryptionAlgorithm algorithm) in s_producible)
            {
                if (capability.Oid == oid && known.All(k => k.Contains(oid)))
                {
                    reason = $"the recipients' capabilities list {algorithm} first in common";
                    return algorithm;
                }
            }
        }

        reason = "the recipients' capabilities have no strong cipher in common";
        return Default;
    }
}
