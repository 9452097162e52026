using System.Runtime.CompilerServices;

namespace Smime.Tests.Support;

/// <summary>
/// Raises the thread pool's floor when the test assembly loads. Many tests block a pool thread
/// on a peer process (openssl, gpgsm) while the loopback HTTP servers answer on pool threads;
/// on a two-core machine the pool otherwise grows by one thread every half second and a server
/// can miss a client's timeout.
/// </summary>
internal static class ThreadPoolFloor
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
