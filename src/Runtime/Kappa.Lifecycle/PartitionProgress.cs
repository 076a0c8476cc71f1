namespace Kappa.Lifecycle;

/// <summary>One input partition of a version: the group's committed position against the log.</summary>
public sealed record PartitionProgress(string Topic, int Partition, long? Committed, long LogStart, long LogEnd)
{
    public long Lag => LogEnd - Math.Max(Committed ?? LogStart, LogStart);

    public long Done => Math.Max(Committed ?? LogStart, LogStart) - LogStart;
}
