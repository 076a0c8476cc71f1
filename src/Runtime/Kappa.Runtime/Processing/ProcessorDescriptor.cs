using Kappa.Naming;

namespace Kappa.Processing;

/// <summary>
/// What a processor version reads and writes, with every name derived by <see cref="KappaNames"/>:
/// group <c>{name}.v{N}</c>, outputs <c>{sink}.v{N}</c>, dead letters <c>{name}.v{N}.dlq</c>.
/// The generator emits one per <see cref="StreamProcessorAttribute"/> class.
/// </summary>
public sealed class ProcessorDescriptor
{
    public ProcessorDescriptor(string name, int version, IReadOnlyList<string> inputTopics, IReadOnlyList<string> sinks)
    {
        ArgumentNullException.ThrowIfNull(inputTopics);
        ArgumentNullException.ThrowIfNull(sinks);
        KappaNames.ValidateName(name, "processor name");
        if (inputTopics.Count == 0)
        {
            throw new ArgumentException($"Processor '{name}' has no input topic.", nameof(inputTopics));
        }

        foreach (string topic in inputTopics)
        {
            KappaNames.ValidateName(topic, "input topic");
        }

        Name = name;
        Version = version;
        ConsumerGroup = KappaNames.ConsumerGroup(name, version);
        DeadLetterTopic = KappaNames.DeadLetter(name, version);
        InputTopics = inputTopics.ToArray();
        Sinks = sinks.Distinct(StringComparer.Ordinal).ToArray();
        OutputTopics = Sinks.Select(s => KappaNames.OutputTopic(s, version)).ToArray();
    }

    public string Name { get; }

    public int Version { get; }

    /// <summary>The processor's identity in logs and metrics: <c>{name}.v{N}</c> (the same text as its consumer group).</summary>
    public string Id => ConsumerGroup;

    public string ConsumerGroup { get; }

    /// <summary>Input topics (input logs are not versioned), in declaration order.</summary>
    public IReadOnlyList<string> InputTopics { get; }

    /// <summary>Sink names as written in <see cref="OutputAttribute"/>, distinct, in declaration order.</summary>
    public IReadOnlyList<string> Sinks { get; }

    /// <summary>Versioned output topics, one per sink, in the order of <see cref="Sinks"/>.</summary>
    public IReadOnlyList<string> OutputTopics { get; }

    public string DeadLetterTopic { get; }

    public override string ToString() => Id;
}
