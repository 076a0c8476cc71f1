namespace Kappa.Lifecycle;

/// <summary>The status of one processor: its versions and its sinks' serving versions.</summary>
public sealed record ProcessorStatus
{
    public required string Processor { get; init; }

    public required long Sequence { get; init; }

    public required IReadOnlyList<VersionProgress> Versions { get; init; }

    public required IReadOnlyList<SinkServing> Sinks { get; init; }
}
