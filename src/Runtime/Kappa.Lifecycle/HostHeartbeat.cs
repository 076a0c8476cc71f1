namespace Kappa.Lifecycle;

/// <summary>What a running host last reported: the processor versions it runs (ids <c>{name}.v{N}</c>).</summary>
public sealed record HostHeartbeat
{
    public required string Instance { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required IReadOnlyList<string> Running { get; init; }

    /// <summary>Records the host's sink writers had not yet written to their tables at the heartbeat, by table (<c>{sink}_v{N}</c>).</summary>
    public IReadOnlyDictionary<string, long>? SinkLags { get; init; }

    /// <summary>True when the report is younger than <paramref name="timeout"/> at <paramref name="now"/>.</summary>
    public bool IsLive(DateTimeOffset now, TimeSpan timeout) => now - Time <= timeout;
}
