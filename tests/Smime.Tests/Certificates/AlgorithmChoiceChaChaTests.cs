using Smime.Certificates;
using Smime.Cms;

namespace Smime.Tests.Certificates;

/// <summary>ChaCha20-Poly1305 (RFC 8103) among the ciphers chosen from capabilities.</summary>
public sealed class AlgorithmChoiceChaChaTests
{
    private static SmimeCapability C(string oid) => new(oid, ReadOnlyMemory<byte>.Empty);

    [Fact]
    public void Choose_ChaChaFirstAndCommon_ChaCha()
    {
        IReadOnlyList<SmimeCapability> first = [C(Oids.ChaCha20Poly1305), C(Oids.Aes256Gcm)];
        IReadOnlyList<SmimeCapability> second = [C(Oids.Aes256Gcm), C(Oids.ChaCha20Poly1305)];

        Assert.Equal(ContentEncryptionAlgorithm.ChaCha20Poly1305,
            AlgorithmChoice.Choose([first, second], out _));
    }

    [Fact]
    public void Choose_ChaChaNotCommon_NextCommon()
    {
        IReadOnlyList<SmimeCapability> first = [C(Oids.ChaCha20Poly1305), C(Oids.Aes128Gcm)];
        IReadOnlyList<SmimeCapability> second = [C(Oids.Aes128Gcm)];

        Assert.Equal(ContentEncryptionAlgorithm.Aes128Gcm,
            AlgorithmChoice.Choose([first, second], out _));
    }
}
