namespace Kappa.Lifecycle;

/// <summary>
/// The value of one record of <c>_kappa.deployments</c>: a proposed transition (accepted when <see cref="Expected"/> is
/// the processor's current sequence when it is read in log order) or a host heartbeat.
/// </summary>
internal sealed record RegistryRecord
{
    public required string Kind { get; init; }

    /// <summary>Unique id of the proposal, so that its writer finds it when it reads the log back.</summary>
    public string? Id { get; init; }

    /// <summary>The processor sequence the proposal was based on.</summary>
    public long Expected { get; init; }

    public DeploymentTransition? Transition { get; init; }

    public HostHeartbeat? Heartbeat { get; init; }

    public const string TransitionKind = "transition";

    public const string HeartbeatKind = "heartbeat";
}
