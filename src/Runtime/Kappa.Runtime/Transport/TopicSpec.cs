namespace Kappa.Transport;

/// <summary>What a topic must look like. Transports create missing topics from it and reject existing ones that conflict.</summary>
public sealed record TopicSpec(string Name, int Partitions = 1, bool Compacted = false)
{
    /// <summary>Delete whole segments older than this (null: keep forever, the Kappa default for input logs).</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>Delete the oldest whole segments once a partition is larger than this many bytes (null: no limit).</summary>
    public long? RetentionBytes { get; init; }
}
