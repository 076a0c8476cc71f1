namespace Kappa.Lifecycle;

/// <summary>Key-by-key comparison of one sink's output topic in two versions (latest value per key, as compaction keeps).</summary>
public sealed record OutputDiff
{
    public required string Sink { get; init; }

    /// <summary>How values were compared: by bytes (plain Avro), by decoded values (Confluent-framed on both sides) or by Avro bodies (framed on one side).</summary>
    public OutputComparison Comparison { get; init; }

    public required long Equal { get; init; }

    public required long Changed { get; init; }

    /// <summary>Keys only the new version has.</summary>
    public required long OnlyInNew { get; init; }

    /// <summary>Keys only the old version has.</summary>
    public required long OnlyInOld { get; init; }

    /// <summary>
    /// Keys in both versions whose latest value could not be read in at least one of them (framed values only: a bad
    /// frame, a schema id the registry does not know, a body that does not decode with its schema); neither equal nor changed.
    /// </summary>
    public long Unreadable { get; init; }

    /// <summary>Up to a few keys of each kind of difference, as text (ASCII keys as they are, others as 0x hex).</summary>
    public IReadOnlyList<string> ChangedSamples { get; init; } = [];

    /// <summary>For decoded values (<see cref="OutputComparison.Values"/>): the old and new values of the changed sample keys, as canonical JSON.</summary>
    public IReadOnlyList<ChangedValue> ChangedValues { get; init; } = [];

    public IReadOnlyList<string> OnlyInNewSamples { get; init; } = [];

    public IReadOnlyList<string> OnlyInOldSamples { get; init; } = [];

    /// <summary>Up to a few unreadable keys, each with why: <c>key (v2: schema id 42 is not in the schema registry)</c>.</summary>
    public IReadOnlyList<string> UnreadableSamples { get; init; } = [];
}
