namespace Kappa.Lifecycle;

/// <summary>
/// What <c>verify</c> found for a version: whether two runs over the same input range were equal, and how its outputs
/// compare, key by key, with the version it would replace.
/// </summary>
public sealed record VerificationResult
{
    public required int Version { get; init; }

    /// <summary>True when both runs produced the same outputs and state (see <see cref="Kappa.Processing.DeterminismCheck"/>).</summary>
    public required bool Deterministic { get; init; }

    /// <summary>Input records each run processed.</summary>
    public required long Records { get; init; }

    /// <summary>The first difference between the two runs, or null.</summary>
    public string? FirstDifference { get; init; }

    /// <summary>The version the outputs were compared with (the serving one), or null when there was none.</summary>
    public int? ComparedWith { get; init; }

    /// <summary>Per-sink diff of the latest value per key of this version's output topic against <see cref="ComparedWith"/>'s.</summary>
    public IReadOnlyList<OutputDiff> Diffs { get; init; } = [];

    /// <summary>Passed means deterministic: differences from the previous version are what a new version is for, and are for a person to judge.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Passed => Deterministic;
}
