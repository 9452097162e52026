namespace Smime.Tests.Mime;

/// <summary>Measures what an action allocates, to prove it streams.</summary>
internal static class Allocations
{
    /// <summary>
    /// The bytes this thread allocated while the action ran: tests running in parallel do not
    /// count, so a bound on it proves the action never held its input in memory.
    /// </summary>
    public static long AllocatedBy(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
