namespace Kappa.Lifecycle;

/// <summary>
/// One measurement of a replay (<c>dotnet run -- kappa replay</c>), and its last one when it caught up. With
/// <c>--json</c> each is one line: <c>{"type":"progress",...}</c> while it runs, <c>{"type":"caughtUp",...}</c> at the end.
/// </summary>
public sealed record ReplayProgress
{
    /// <summary><c>progress</c> while replaying, <c>caughtUp</c> for the last line.</summary>
    public required string Type { get; init; }

    public required string Processor { get; init; }

    public required int Version { get; init; }

    /// <summary>The version's state in the registry at this measurement.</summary>
    public required VersionState State { get; init; }

    /// <summary>Input records the version has processed (committed), over all partitions, since the log start.</summary>
    public required long Done { get; init; }

    /// <summary>Input records left to the log end.</summary>
    public required long Lag { get; init; }

    /// <summary>Input records this replay processed so far.</summary>
    public required long Replayed { get; init; }

    /// <summary>Records per second since the previous measurement.</summary>
    public required double RecordsPerSecond { get; init; }

    /// <summary>Seconds to catch up at that rate; null when the rate is 0.</summary>
    public double? EtaSeconds { get; init; }

    /// <summary>The lag of the version's sink writers in this host, by table (-1 before a writer's first measurement).</summary>
    public required IReadOnlyDictionary<string, long> SinkWriterLag { get; init; }

    public required double ElapsedSeconds { get; init; }
}
