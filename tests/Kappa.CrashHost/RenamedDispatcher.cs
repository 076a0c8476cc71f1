using Kappa.Processing;
using Kappa.State;
using Kappa.Transport;

namespace Kappa.CrashHost;

/// <summary>
/// Runs <see cref="CrashTotals"/> under topic and group names with a per-run prefix (<c>{prefix}crash-input</c>,
/// <c>{prefix}crash-totals.v1</c>, <c>{prefix}crash-totals.v1.totals-changelog</c>, group <c>{prefix}crash-totals.v1</c>),
/// so repeated test runs on one real cluster never share topics. The generated dispatcher sees its own names.
/// </summary>
public sealed class RenamedDispatcher : IProcessorDispatcher
{
    private const string Input = "crash-input";
    private readonly IProcessorDispatcher _inner;
    private readonly RenamingProducer _producer;

    public RenamedDispatcher(string prefix)
    {
        _inner = CrashTotals.CreateKappaDispatcher(new CrashTotals());
        var inner = _inner.Descriptor;
        string name = prefix + inner.Name;
        Descriptor = new ProcessorDescriptor(
            name,
            inner.Version,
            new[] { prefix + Input },
            inner.Sinks.Select(s => prefix + s).ToArray(),
            new[] { StateStoreDescriptor.Create<RunningTotal>(name, inner.Version, "totals") });
        _producer = new RenamingProducer(inner.OutputTopics.Zip(Descriptor.OutputTopics).ToDictionary(p => p.First, p => p.Second));
    }

    public ProcessorDescriptor Descriptor { get; }

    public static CrashTopicNames Names(string prefix) =>
        new(prefix + Input, prefix + "crash-totals.v1", prefix + "crash-totals.v1.totals-changelog", prefix + "crash-totals.v1");

    public int Dispatch(in ConsumedRecord record, IKappaProducer producer)
    {
        _producer.Target = producer;
        var renamed = new ConsumedRecord(Input, record.Partition, record.Offset, record.TimestampMs, record.Key, record.KeyIsNull, record.Value, record.ValueIsNull, record.Headers);
        return _inner.Dispatch(renamed, _producer);
    }

    public void AttachState(StateStoreSet stores) => _inner.AttachState(stores);

    public void Dispose() => _inner.Dispose();

    private sealed class RenamingProducer : IKappaProducer
    {
        private readonly Dictionary<string, string> _topics;

        public RenamingProducer(Dictionary<string, string> topics) => _topics = topics;

        public IKappaProducer Target { get; set; } = null!;

        public void Produce(in OutgoingRecord record)
        {
            string topic = _topics.TryGetValue(record.Topic, out string? renamed)
                ? renamed
                : throw new InvalidOperationException($"The crash-test processor produced to unexpected topic '{record.Topic}'.");
            Target.Produce(new OutgoingRecord(topic, record.Key, record.Value)
            {
                Partition = record.Partition,
                KeyIsNull = record.KeyIsNull,
                ValueIsNull = record.ValueIsNull,
                EncodedHeaders = record.EncodedHeaders,
                TimestampMs = record.TimestampMs,
            });
        }

        public void Flush(CancellationToken cancellationToken = default) => Target.Flush(cancellationToken);

        public void Dispose()
        {
        }
    }
}
