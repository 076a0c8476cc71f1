namespace Kappa.Lifecycle;

/// <summary>Key-by-key comparison of one sink's output topic in two versions (latest value per key, as compaction keeps).</summary>
public sealed record OutputDiff
{
    public required string Sink { get; init; }

    public required long Equal { get; init; }

    public required long Changed { get; init; }

    /// <summary>Keys only the new version has.</summary>
    public required long OnlyInNew { get; init; }

    /// <summary>Keys only the old version has.</summary>
    public required long OnlyInOld { get; init; }

    /// <summary>Up to a few keys of each kind of difference, as text (ASCII keys as they are, others as 0x hex).</summary>
    public IReadOnlyList<string> ChangedSamples { get; init; } = [];

    public IReadOnlyList<string> OnlyInNewSamples { get; init; } = [];

    public IReadOnlyList<string> OnlyInOldSamples { get; init; } = [];
}
