namespace Kappa.Transport;

/// <summary>What a topic must look like. Transports create missing topics from it and reject existing ones that conflict.</summary>
public sealed record TopicSpec(string Name, int Partitions = 1, bool Compacted = false)
{
    /// <summary>Delete whole segments older than this (null: keep forever, the Kappa default for input logs). Must be positive.</summary>
    public TimeSpan? Retention
    {
        get;
        init => field = value is null || value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Retention), value, $"Topic '{Name}': Retention must be positive, or null to keep records forever.");
    }

    /// <summary>Delete the oldest whole segments once a partition is larger than this many bytes (null: no limit). Must be positive.</summary>
    public long? RetentionBytes
    {
        get;
        init => field = value is null || value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RetentionBytes), value, $"Topic '{Name}': RetentionBytes must be positive, or null for no size limit.");
    }
}
