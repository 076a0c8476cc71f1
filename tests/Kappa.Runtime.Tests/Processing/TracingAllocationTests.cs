using Kappa.Avro;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>
/// The runner's per-record path (consume, the tracing check, dispatch, produce, offsets) with no listener on the Kappa
/// source allocates nothing per record: measured over whole runs of the real <see cref="ProcessorRunner"/> on a transport
/// that allocates nothing itself, as the difference between a long and a short run (the fixed cost of a run cancels out).
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class TracingAllocationTests
{
    private const int Short = 2_000;
    private const int Long = 22_000;

    [Fact]
    public void Without_a_listener_the_runner_allocates_nothing_per_record()
    {
        RunAllocating(Short); // warm up: JIT, pooled buffers, dictionaries

        long perRecordRun = long.MaxValue;
        for (int attempt = 0; attempt < 3 && perRecordRun >= Long - Short; attempt++)
        {
            perRecordRun = Math.Min(perRecordRun, RunAllocating(Long) - RunAllocating(Short));
        }

        Assert.True(perRecordRun < Long - Short, $"{Long - Short} more records allocated {perRecordRun} B more (less than one byte per record expected).");
    }

    [Fact]
    public void With_a_listener_the_measurement_sees_the_spans()
    {
        // The same measurement is able to fail: spans and trace headers are objects per record.
        RunAllocating(Short);
        using var spans = new SpanCollector();
        long extra = RunAllocating(Long) - RunAllocating(Short);
        Assert.True(extra > 24L * (Long - Short), $"With tracing on, {Long - Short} more records allocated only {extra} B more.");
        Assert.True(spans.Named("process units").Count > Long);
    }

    /// <summary>Bytes this thread allocated for one whole run over <paramref name="records"/> records.</summary>
    private static long RunAllocating(int records)
    {
        var transport = new ReplayTransport(records);
        var options = new ProcessorOptions { MaxBatchSize = 5_000, MaxBatchTime = TimeSpan.FromMinutes(1), PollTimeout = TimeSpan.FromMilliseconds(1) };
        var runner = ProcessorRunner.Create(new NegateUnits(), transport, options);
        long before = GC.GetAllocatedBytesForCurrentThread();
        runner.Run(transport.Stop.Token);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(records, transport.Produced);
        return allocated;
    }

    /// <summary>One partition of the same record, <c>n</c> times, then cancellation; a producer that only counts.</summary>
    private sealed class ReplayTransport(int count) : IKappaTransport, IKappaConsumer, IKappaProducer
    {
        private static readonly byte[] Key = "key-1"u8.ToArray();
        private static readonly byte[] Value = AvroSerializer.SerializeToArray(new OrderUnit { Sequence = 1, Sign = 3 });
        private readonly TopicPartition[] _assignment = [new("units", 0)];
        private ConsumerSettings? _settings;
        private int _next;

        public CancellationTokenSource Stop { get; } = new();

        public int Produced { get; private set; }

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

        public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId) => throw new NotSupportedException();

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

            record = new ConsumedRecord("units", 0, _next, 1_000 + _next, Key, false, Value, false, RecordHeaders.Empty);
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

        public void Produce(in OutgoingRecord record) => Produced++;

        public void Flush(CancellationToken cancellationToken = default)
        {
        }

        public void Dispose()
        {
        }
    }
}
