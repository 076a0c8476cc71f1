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
    /// <param name="name">The processor's name.</param>
    /// <param name="version">The processor's version (at least 1).</param>
    /// <param name="inputTopics">Input topics, in declaration order.</param>
    /// <param name="sinks">Sink names (duplicates are dropped).</param>
    /// <param name="stores">State stores (null: stateless).</param>
    /// <param name="inputFormats">The value format of each input topic, in the order of <paramref name="inputTopics"/> (null: all <see cref="ValueFormat.Avro"/>).</param>
    /// <param name="outputFormats">The value format of each sink, in the order of <paramref name="sinks"/> (null: all <see cref="ValueFormat.Avro"/>).</param>
    public ProcessorDescriptor(
        string name,
        int version,
        IReadOnlyList<string> inputTopics,
        IReadOnlyList<string> sinks,
        IReadOnlyList<StateStoreDescriptor>? stores = null,
        IReadOnlyList<ValueFormat>? inputFormats = null,
        IReadOnlyList<ValueFormat>? outputFormats = null)
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
        InputFormats = Formats(name, "input", inputTopics, inputFormats, nameof(inputFormats));
        ValueFormat[] sinkFormats = Formats(name, "sink", sinks, outputFormats, nameof(outputFormats));
        OutputFormats = Sinks.Select(s => sinkFormats[IndexOf(sinks, s)]).ToArray();
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

    /// <summary>The value format of each input topic, in the order of <see cref="InputTopics"/>.</summary>
    public IReadOnlyList<ValueFormat> InputFormats { get; }

    /// <summary>The value format of each sink's output topic, in the order of <see cref="Sinks"/> and <see cref="OutputTopics"/>.</summary>
    public IReadOnlyList<ValueFormat> OutputFormats { get; }

    /// <summary>True when an input or output is <see cref="ValueFormat.ConfluentAvro"/>: the runner then needs <see cref="ProcessorOptions.SchemaRegistry"/>.</summary>
    public bool NeedsSchemaRegistry => InputFormats.Contains(ValueFormat.ConfluentAvro) || OutputFormats.Contains(ValueFormat.ConfluentAvro);

    /// <summary>The value format of input <paramref name="topic"/>.</summary>
    public ValueFormat InputFormat(string topic)
    {
        int index = IndexOf(InputTopics, topic);
        return index >= 0 ? InputFormats[index] : throw new ArgumentException($"Processor {Id} does not consume topic '{topic}'; it consumes: {string.Join(", ", InputTopics)}.", nameof(topic));
    }

    /// <summary>The value format of <paramref name="sink"/>'s output topic.</summary>
    public ValueFormat OutputFormat(string sink)
    {
        int index = IndexOf(Sinks, sink);
        return index >= 0 ? OutputFormats[index] : throw new ArgumentException($"Processor {Id} has no sink '{sink}'; its sinks: {string.Join(", ", Sinks)}.", nameof(sink));
    }

    /// <summary>State stores, in declaration order (empty for a stateless processor).</summary>
    public IReadOnlyList<StateStoreDescriptor> Stores { get; }

    /// <summary>True when a handler keeps per-key state.</summary>
    public bool IsStateful => Stores.Count > 0;

    public override string ToString() => Id;

    private static ValueFormat[] Formats(string processor, string what, IReadOnlyList<string> names, IReadOnlyList<ValueFormat>? formats, string parameter)
    {
        if (formats is null)
        {
            return new ValueFormat[names.Count];
        }

        if (formats.Count != names.Count)
        {
            throw new ArgumentException($"Processor '{processor}' has {names.Count} {what} name(s) but {formats.Count} {what} format(s); give one format per {what}.", parameter);
        }

        foreach (ValueFormat format in formats)
        {
            if (!Enum.IsDefined(format))
            {
                throw new ArgumentOutOfRangeException(parameter, format, $"Processor '{processor}': unknown value format.");
            }
        }

        return formats.ToArray();
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
