namespace Kappa.Lifecycle;

/// <summary>What promote or rollback did: the version now serving, the one moved to Standby, the views switched.</summary>
public sealed record PromoteResult
{
    public required string Processor { get; init; }

    public required int Serving { get; init; }

    public int? Standby { get; init; }

    public required IReadOnlyList<string> SwitchedViews { get; init; }

    public required bool Forced { get; init; }

    public required DeploymentTransition Transition { get; init; }
}
