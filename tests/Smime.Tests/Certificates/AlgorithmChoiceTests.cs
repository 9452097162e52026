using Smime.Certificates;
using Smime.Cms;

namespace Smime.Tests.Certificates;

public sealed class AlgorithmChoiceTests
{
    private static SmimeCapability C(string oid) => new(oid, ReadOnlyMemory<byte>.Empty);

    [Fact]
    public void Choose_NothingKnown_Aes256Gcm()
    {
        Assert.Equal(ContentEncryptionAlgorithm.Aes256Gcm, AlgorithmChoice.Choose([[], []], out _));
    }

    [Fact]
    public void Choose_FirstCommonProducible_InFirstRecipientsOrder()
    {
        IReadOnlyList<SmimeCapability> first =
            [C(Oids.TripleDesCbc), C(Oids.Aes128Cbc), C(Oids.Aes256Cbc)];
        IReadOnlyList<SmimeCapability> second = [C(Oids.Aes256Cbc), C(Oids.Aes128Cbc)];

        ContentEncryptionAlgorithm chosen = AlgorithmChoice.Choose([first, [], second], out _);

        // 3DES is first but never chosen; AES-128-CBC is next and common to both.
        Assert.Equal(ContentEncryptionAlgorithm.Aes128Cbc, chosen);
    }

    [Fact]
    public void Choose_OnlyWeakInCommon_DefaultNotWeak()
    {
        IReadOnlyList<SmimeCapability> first = [C(Oids.TripleDesCbc), C(Oids.Aes256Gcm)];
        IReadOnlyList<SmimeCapability> second = [C(Oids.TripleDesCbc), C(Oids.Aes128Cbc)];

        ContentEncryptionAlgorithm chosen = AlgorithmChoice.Choose([first, second], out string why);

        Assert.Equal(ContentEncryptionAlgorithm.Aes256Gcm, chosen);
        Assert.Equal("the recipients' capabilities have no strong cipher in common", why);
    }
}
