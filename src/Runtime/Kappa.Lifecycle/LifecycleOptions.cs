namespace Kappa.Lifecycle;

/// <summary>Thresholds of the lifecycle operations.</summary>
public sealed class LifecycleOptions
{
    /// <summary>A version is caught up when no input partition has more records left than this (default 0).</summary>
    public long LagThreshold
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(LagThreshold), value, "The lag threshold is a number of records, 0 or more.");
    } = 0;

    /// <summary>A heartbeat older than this no longer counts as a live instance (default 30 s).</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long retire waits for hosts to stop a retired version before it refuses to delete (default 30 s).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The instance name written to the registry (default <c>{machine}/{process id}</c>).</summary>
    public string? Instance { get; init; }
}
