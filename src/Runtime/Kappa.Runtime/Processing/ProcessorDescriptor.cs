using Kappa.Naming;
using Kappa.State;

namespace Kappa.Processing;

/// <summary>
/// What a processor version reads and writes, with every name derived by <see cref="KappaNames"/>:
/// group <c>{name}.v{N}</c>, outputs <c>{sink}.v{N}</c>, dead letters <c>{name}.v{N}.dlq</c>, state changelogs
/// <c>{name}.v{N}.{store}-changelog</c>.
/// The generator emits one per <see cref="StreamProcessorAttribute"/> class.
/// </summary>
public sealed class ProcessorDescriptor
{
    public ProcessorDescriptor(string name, int version, IReadOnlyList<string> inputTopics, IReadOnlyList<string> sinks, IReadOnlyList<StateStoreDescriptor>? stores = null)
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
        Stores = stores?.ToArray() ?? [];
        var storeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (StateStoreDescriptor store in Stores)
        {
            if (!storeNames.Add(store.Name))
            {
                throw new ArgumentException($"Processor '{name}' declares state store '{store.Name}' twice.", nameof(stores));
            }
        }
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

    /// <summary>State stores, in declaration order (empty for a stateless processor).</summary>
    public IReadOnlyList<StateStoreDescriptor> Stores { get; }

    /// <summary>True when a handler keeps per-key state.</summary>
    public bool IsStateful => Stores.Count > 0;

    public override string ToString() => Id;
}
