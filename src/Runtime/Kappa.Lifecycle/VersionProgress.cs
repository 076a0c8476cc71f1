namespace Kappa.Lifecycle;

/// <summary>The status of one version: its registry state and its measured progress.</summary>
public sealed record VersionProgress
{
    public required int Version { get; init; }

    public required VersionState State { get; init; }

    public required DateTimeOffset Since { get; init; }

    public required bool Verified { get; init; }

    public required IReadOnlyList<PartitionProgress> Partitions { get; init; }

    /// <summary>Records left on all input partitions.</summary>
    public long Lag => Partitions.Sum(p => p.Lag);

    /// <summary>Records consumed, counted from each partition's log start.</summary>
    public long Done => Partitions.Sum(p => p.Done);

    public long Total => Done + Lag;

    /// <summary>Records per second since the previous status (null for the first one).</summary>
    public double? RecordsPerSecond { get; init; }

    /// <summary>Time to catch up at <see cref="RecordsPerSecond"/> (null when unknown or not progressing; zero when caught up).</summary>
    public TimeSpan? Eta { get; init; }

    /// <summary>Records in the version's dead-letter topic.</summary>
    public required long DeadLetters { get; init; }

    /// <summary>
    /// Records of the version's output topics not yet in its tables, summed over its tables. With a serving database it
    /// is measured there, from the offsets each table committed with its rows (exact up to 1,000 records per table, an
    /// upper bound above that); without one, as the live hosts' writers last reported it (the largest report per
    /// table), and null when no live host reports a writer of it.
    /// </summary>
    public long? SinkWriterLag { get; init; }

    /// <summary>Instances whose live heartbeat says they run this version.</summary>
    public required IReadOnlyList<string> LiveInstances { get; init; }
}
