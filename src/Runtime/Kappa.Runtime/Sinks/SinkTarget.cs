using Kappa.Naming;

namespace Kappa.Sinks;

/// <summary>One version of a sink and the names derived from it through <see cref="KappaNames"/>.</summary>
public sealed record SinkTarget
{
    public SinkTarget(string sink, int version)
    {
        Table = KappaNames.Table(sink, version);
        Topic = KappaNames.OutputTopic(sink, version);
        View = KappaNames.ServingView(sink);
        DeadLetterTopic = KappaNames.SinkDeadLetter(sink, version);
        Sink = sink;
        Version = version;
    }

    public string Sink { get; }

    public int Version { get; }

    /// <summary>The table this version is materialized into: <c>{sink}_v{N}</c>.</summary>
    public string Table { get; }

    /// <summary>The topic it is read from: <c>{sink}.v{N}</c>.</summary>
    public string Topic { get; }

    /// <summary>The serving view of the sink (all versions): <c>{sink}</c> with '.' and '-' as '_'.</summary>
    public string View { get; }

    /// <summary>Where refused and undecodable records go: <c>{sink}.v{N}.sink-dlq</c>.</summary>
    public string DeadLetterTopic { get; }

    public override string ToString() => Table;
}
