using Kappa.Transport;

namespace Kappa.Processing;

/// <summary>How far a consumer group is behind on one input partition.</summary>
/// <param name="Partition">The input partition.</param>
/// <param name="Committed">The group's committed position (next offset to read), or null when it has none.</param>
/// <param name="LogStart">The partition's log start offset.</param>
/// <param name="LogEnd">The partition's log end offset (the offset the next record will get).</param>
public readonly record struct PartitionLag(TopicPartition Partition, long? Committed, long LogStart, long LogEnd)
{
    /// <summary>Records between the committed position (or the log start) and the log end.</summary>
    public long Lag => LogEnd - Math.Max(Committed ?? LogStart, LogStart);

    /// <summary>Records of this partition the group has consumed, counted from the log start.</summary>
    public long Done => Math.Max(Committed ?? LogStart, LogStart) - LogStart;
}
