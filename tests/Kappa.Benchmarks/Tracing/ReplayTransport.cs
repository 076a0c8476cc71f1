using Kappa.Transport;

namespace Kappa.Benchmarks.Tracing;

/// <summary>
/// A transport with no I/O and no allocation of its own, so a benchmark sees the runner's cost: one partition of the
/// same record delivered <c>count</c> times, then cancellation; the producer counts records and header bytes.
/// </summary>
internal sealed class ReplayTransport(byte[] key, byte[] value, byte[] headers, int count) : IKappaTransport, IKappaConsumer, IKappaProducer
{
    private readonly TopicPartition[] _assignment = [new(TracingBenchmarks.Topic, 0)];
    private ConsumerSettings? _settings;
    private int _next;

    public CancellationTokenSource Stop { get; } = new();

    public int Produced { get; private set; }

    public long HeaderBytes { get; private set; }

    public string Description => "replay";

    public IReadOnlyList<TopicPartition> Assignment => _assignment;

    public void EnsureTopics(IReadOnlyCollection<TopicSpec> topics)
    {
    }

    public int? GetPartitionCount(string topic) => 1;

    public WatermarkOffsets GetWatermarks(TopicPartition partition) => new(0, count);

    public IKappaConsumer CreateConsumer(ConsumerSettings settings)
    {
        _settings = settings;
        return this;
    }

    public IKappaProducer CreateProducer(ProducerSettings settings) => this;

    public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId) => throw new NotSupportedException("The benchmark processor is stateless.");

    public void Subscribe(IReadOnlyCollection<string> topics) => _settings!.OnAssigned?.Invoke(_assignment);

    public void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions) => throw new NotSupportedException();

    public bool TryConsume(TimeSpan timeout, out ConsumedRecord record)
    {
        if (_next >= count)
        {
            Stop.Cancel();
            record = default;
            return false;
        }

        record = new ConsumedRecord(TracingBenchmarks.Topic, 0, _next, 1_700_000_000_000 + _next, key, false, value, false, new RecordHeaders(headers));
        _next++;
        return true;
    }

    public void Commit(IReadOnlyList<TopicPartitionOffset> offsets)
    {
    }

    public long? Committed(TopicPartition partition) => null;

    public void Close()
    {
    }

    public void Produce(in OutgoingRecord record)
    {
        Produced++;
        HeaderBytes += record.EncodedHeaders.Length;
    }

    public void Flush(CancellationToken cancellationToken = default)
    {
    }

    public void Dispose()
    {
    }
}
