namespace Kappa.Lifecycle;

/// <summary>What retire deletes (or, for a dry run, would delete): only the named version's own artefacts.</summary>
public sealed record RetirePlan
{
    public required string Processor { get; init; }

    public required int Version { get; init; }

    public required IReadOnlyList<string> ConsumerGroups { get; init; }

    public required IReadOnlyList<string> Topics { get; init; }

    public required IReadOnlyList<string> Tables { get; init; }

    /// <summary>False for a dry run: nothing was changed.</summary>
    public required bool Executed { get; init; }
}
