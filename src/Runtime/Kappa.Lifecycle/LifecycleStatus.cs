namespace Kappa.Lifecycle;

/// <summary>What <c>kappa status</c> shows: every processor in the registry, measured at <see cref="Time"/>.</summary>
public sealed record LifecycleStatus
{
    public required DateTimeOffset Time { get; init; }

    public required IReadOnlyList<ProcessorStatus> Processors { get; init; }

    public required IReadOnlyList<HostHeartbeat> Hosts { get; init; }
}
