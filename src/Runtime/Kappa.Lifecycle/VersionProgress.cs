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
    /// Records the version's sink writers had not yet written to its tables, summed over its tables, as the live hosts
    /// last reported (the largest report per table); null when no live host reports a writer of it.
    /// </summary>
    public long? SinkWriterLag { get; init; }

    /// <summary>Instances whose live heartbeat says they run this version.</summary>
    public required IReadOnlyList<string> LiveInstances { get; init; }
}
