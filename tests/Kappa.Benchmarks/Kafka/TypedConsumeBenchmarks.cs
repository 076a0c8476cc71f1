using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Kappa.Avro;
using Kappa.Kafka.Testing;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Benchmarks.Kafka;

/// <summary>
/// Issue 2's end-to-end target: the generated typed path (Kafka transport consume + Avro decode + dispatch to the
/// handler) against a raw Confluent.Kafka byte[] consume loop, over the same mock-cluster topic of Avro-encoded
/// <see cref="BenchEvent"/>s, in the same run. Mean is per message, Allocated is bytes per message.
/// `DecodeOnly` (transport + AvroSerializer.Deserialize, no dispatch) isolates what the decoded values themselves
/// allocate, so Typed minus DecodeOnly is the framework's own per-message allocation.
/// <see cref="Prefetched"/>: false, the measurement starts right after the consumer is rewound, with librdkafka's
/// fetcher and the in-process mock broker fetching on the same two cores; true, it starts once the whole topic is in
/// the consumer's local queue (every contender alike), so it measures the consume loops themselves.
/// <see cref="ExternalBroker"/>: the mock cluster runs in a kappa-test-broker process, so its threads are not in the
/// measured process (librdkafka's own fetch thread, part of every consumer, still is).
/// <see cref="TypedConsumeHarness"/> runs the same contenders interleaved, with each consuming thread's CPU time.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class TypedConsumeBenchmarks
{
    public const string Topic = "bench-typed-in";
    public const int Messages = 200_000;
    private static readonly TimeSpan RecordTimeout = TimeSpan.FromSeconds(10);

    private KafkaBenchmarkTopic? _topic;
    private RawConfluentConsumer? _raw;
    private IKappaConsumer? _consumer;
    private IProcessorDispatcher? _dispatcher;
    private BenchTypedProcessor? _processor;
    private readonly NoOutputProducer _producer = new();

    /// <summary>Whether each measured iteration starts with the whole topic already fetched (see the class comment).</summary>
    [Params(false, true)]
    public bool Prefetched { get; set; }

    /// <summary>Whether the mock cluster runs in a kappa-test-broker process of its own rather than in this one.</summary>
    [Params(false, true)]
    public bool ExternalBroker { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Kappa.Kafka.NativeLibraryLoader.EnsureLoaded();
        _topic = new KafkaBenchmarkTopic(Messages, valueSize: 100, name: Topic, valueFactory: EncodeEvent, outOfProcess: ExternalBroker);
    }

    [GlobalCleanup]
    public void Cleanup() => _topic?.Dispose();

    /// <summary>Event i, Avro-encoded (about 100 bytes).</summary>
    public static byte[] EncodeEvent(int i) => AvroSerializer.SerializeToArray(new BenchEvent(
        $"evt-{i:D10}-7f3c9a2e-4b1d",
        (i % 4) switch { 0 => "europe-west", 1 => "us-east", 2 => "asia-pacific", _ => "latin-america" },
        $"sku-{i % 997:D5}-widget-deluxe",
        1_000 + (i % 50_000),
        1 + (i % 7),
        DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + i)));

    [IterationSetup(Target = nameof(RawConfluentByteArray))]
    public void SetupRaw() => _raw = KafkaConsumeLoops.CreateRawConsumer(_topic!, Prefetched);

    [IterationCleanup(Target = nameof(RawConfluentByteArray))]
    public void CleanupRaw() => _raw!.Dispose();

    [IterationSetup(Targets = [nameof(DecodeOnly), nameof(TypedDispatch)])]
    public void SetupTyped()
    {
        _consumer = KafkaConsumeLoops.CreateTransportConsumer(_topic!, Prefetched);
        _processor = new BenchTypedProcessor();
        _dispatcher = BenchTypedProcessor.CreateKappaDispatcher(_processor);
    }

    [IterationCleanup(Targets = [nameof(DecodeOnly), nameof(TypedDispatch)])]
    public void CleanupTyped()
    {
        _dispatcher!.Dispose();
        _consumer!.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public long RawConfluentByteArray() => KafkaConsumeLoops.RawConfluent(_raw!, Messages);

    [Benchmark(OperationsPerInvoke = Messages)]
    public long DecodeOnly()
    {
        long checksum = 0;
        for (int received = 0; received < Messages; received++)
        {
            if (!_consumer!.TryConsume(RecordTimeout, out ConsumedRecord record))
            {
                throw new TimeoutException($"DecodeOnly: no record within {RecordTimeout} after {received} of {Messages}.");
            }

            checksum += AvroSerializer.Deserialize<BenchEvent>(record.Value).AmountCents;
        }

        return checksum;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long TypedDispatch()
    {
        for (int received = 0; received < Messages; received++)
        {
            if (!_consumer!.TryConsume(RecordTimeout, out ConsumedRecord record))
            {
                throw new TimeoutException($"TypedDispatch: no record within {RecordTimeout} after {received} of {Messages}.");
            }

            _dispatcher!.Dispatch(in record, _producer);
        }

        return _processor!.Checksum;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(20)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.OperationsPerSecond);
        }
    }
}
