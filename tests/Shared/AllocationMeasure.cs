namespace Kappa.Tests;

/// <summary>
/// Allocation budgets (not timing) per operation, measured on the current thread. A run is repeated up to three times and
/// the least is kept: a one-off allocation by the runtime on this thread (tiered JIT, on-stack replacement promoting a
/// loop mid-run on a loaded machine: seen as a constant 208 B in a CI dry run) is not the code's, while an allocation per
/// operation (24 B at least for any object) shows in every run. "Allocates nothing per operation" is asserted as less
/// than one byte per operation over the run.
/// </summary>
internal static class AllocationMeasure
{
    /// <summary>
    /// Runs <paramref name="run"/> (which performs <paramref name="operations"/> operations) up to three times, stopping
    /// at a run that allocated nothing, and asserts the least run allocated under one byte per operation. Returns how
    /// many runs were made (for callers whose assertions count what the runs did).
    /// </summary>
    public static int AssertNothingPerOperation(int operations, Action run, string what)
    {
        long allocated = long.MaxValue;
        int runs = 0;
        for (; runs < 3 && allocated > 0; runs++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            run();
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(
            allocated < operations,
            $"{what}: the least of {runs} runs allocated {allocated} B over {operations} operations; an object per operation would be at least {24L * operations} B.");
        return runs;
    }

    /// <summary>The least that <paramref name="run"/> allocated on this thread over three runs (see the class remarks).</summary>
    public static long LeastOfThreeRuns(Action run)
    {
        long least = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            run();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
