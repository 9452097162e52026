using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smime.Cms;
using Smime.Tests.Support;

namespace Smime.Tests.Cms;

[CollectionDefinition(nameof(ThreadPoolLimitCollection), DisableParallelization = true)]
public sealed class ThreadPoolLimitCollection
{
}

/// <summary>
/// The caller of a CBC encryption in pieces blocks until each piece is done. Callers on every
/// thread of a pool at its limit must still finish: the pieces cannot wait for a pool thread.
/// </summary>
[Collection(nameof(ThreadPoolLimitCollection))]
public sealed class EncryptOnPoolThreadsTests
{
    [Fact]
    public void EncryptInPlace_CbcInPieces_EveryPoolThreadACaller_Finishes()
    {
        using X509Certificate2 alice = TestPki.Shared.Issue("alice@example.com");
        ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
        ThreadPool.GetMaxThreads(out int maxWorkers, out int maxIo);
        const int limit = 4;
        int count = limit - (Thread.CurrentThread.IsThreadPoolThread ? 1 : 0);
        using var allRunning = new Barrier(count);
        Assert.True(ThreadPool.SetMinThreads(limit, minIo));
        Assert.True(ThreadPool.SetMaxThreads(limit, maxIo));
        try
        {
            // Every free pool thread becomes a caller before any of them encrypts.
            Task[] callers = Enumerable.Range(0, count).Select(_ => Task.Run(() =>
            {
                allRunning.SignalAndWait(TimeSpan.FromSeconds(2));
                const int length = 1 << 20;
                byte[] buffer = new byte[length + EnvelopedContent.InPlacePaddingRoom];
                RandomNumberGenerator.Fill(buffer.AsSpan(0, length));
                EncryptedInPlace encrypted = EnvelopedContent.EncryptInPlace(
                    buffer, length, [new CmsRecipient(alice)],
                    ContentEncryptionAlgorithm.Aes256Cbc, cbcPieceLength: 64 << 10);
                encrypted.WriteCiphertext(_ => { });
            })).ToArray();

            // Polled here: a wait that needs a pool thread would itself never end.
            Assert.True(
                SpinWait.SpinUntil(
                    () => callers.All(c => c.IsCompleted), TimeSpan.FromSeconds(20)),
                $"The encryptions waited for a thread of the pool they were blocking.");
            Assert.All(callers, c => Assert.True(c.IsCompletedSuccessfully));
        }
        finally
        {
            ThreadPool.SetMaxThreads(maxWorkers, maxIo);
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }
    }
}
