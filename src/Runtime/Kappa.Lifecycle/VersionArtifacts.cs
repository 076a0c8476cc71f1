using Kappa.Naming;
using Kappa.Processing;
using System.Text.Json.Serialization;
using Kappa.Sinks;

namespace Kappa.Lifecycle;

/// <summary>
/// What a processor version owns, by name, as recorded in the registry when the version is deployed: enough for the
/// standalone tool to measure lag and to retire the version without the user's code. All names come from
/// <see cref="KappaNames"/>.
/// </summary>
public sealed record VersionArtifacts
{
    public required string Processor { get; init; }

    public required int Version { get; init; }

    /// <summary>Input topics (not versioned, never deleted).</summary>
    public required IReadOnlyList<string> InputTopics { get; init; }

    /// <summary>Sink names; each has an output topic <c>{sink}.v{N}</c> and a table <c>{sink}_v{N}</c>.</summary>
    public required IReadOnlyList<string> Sinks { get; init; }

    /// <summary>State store names; each has a changelog topic.</summary>
    public IReadOnlyList<string> Stores { get; init; } = [];

    /// <summary>
    /// The sinks whose output topic holds Confluent-framed Avro (<see cref="ValueFormat.ConfluentAvro"/>), so that verify
    /// can decode them by schema id; null when none is (and in records written before this was recorded).
    /// </summary>
    public IReadOnlyList<string>? FramedSinks { get; init; }

    /// <summary>True when <paramref name="sink"/>'s output topic holds Confluent-framed Avro.</summary>
    public bool IsFramed(string sink) => FramedSinks?.Contains(sink, StringComparer.Ordinal) == true;

    [JsonIgnore]
    public string ConsumerGroup => KappaNames.ConsumerGroup(Processor, Version);

    [JsonIgnore]
    public string DeadLetterTopic => KappaNames.DeadLetter(Processor, Version);

    [JsonIgnore]
    public IReadOnlyList<string> OutputTopics => Sinks.Select(s => KappaNames.OutputTopic(s, Version)).ToArray();

    [JsonIgnore]
    public IReadOnlyList<string> ChangelogTopics => Stores.Select(s => KappaNames.Changelog(Processor, Version, s)).ToArray();

    [JsonIgnore]
    public IReadOnlyList<SinkTarget> SinkTargets => Sinks.Select(s => new SinkTarget(s, Version)).ToArray();

    /// <summary>The artefacts of a processor version as its generated descriptor declares them.</summary>
    public static VersionArtifacts From(ProcessorDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return new VersionArtifacts
        {
            Processor = descriptor.Name,
            Version = descriptor.Version,
            InputTopics = descriptor.InputTopics.ToArray(),
            Sinks = descriptor.Sinks.ToArray(),
            Stores = descriptor.Stores.Select(s => s.Name).ToArray(),
            FramedSinks = descriptor.Sinks.Any(s => descriptor.OutputFormat(s) == ValueFormat.ConfluentAvro)
                ? descriptor.Sinks.Where(s => descriptor.OutputFormat(s) == ValueFormat.ConfluentAvro).ToArray()
                : null,
        };
    }
}
