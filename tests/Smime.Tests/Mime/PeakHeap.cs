namespace Smime.Tests.Mime;

/// <summary>Samples the managed heap while an action runs and returns the growth at its peak.</summary>
internal static class PeakHeap
{
    public static long Measure(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            while (!done.Wait(2))
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
            }
        });
        sampler.Start();
        try
        {
            action();
        }
        finally
        {
            done.Set();
            sampler.Join();
        }

        return Math.Max(peak, GC.GetTotalMemory(false)) - baseline;
    }
}
