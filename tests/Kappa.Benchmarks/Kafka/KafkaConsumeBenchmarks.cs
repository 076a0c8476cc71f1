using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Kappa.Kafka.Testing;
using Kappa.Transport;

namespace Kappa.Benchmarks.Kafka;

/// <summary>
/// End-to-end consume throughput on the librdkafka mock cluster: every invocation reads the whole topic
/// (<see cref="Messages"/> records of 100 bytes) from a fresh, already-assigned consumer. With OperationsPerInvoke the
/// reported Mean is per message and Allocated is bytes per message. <see cref="Prefetched"/>: as in
/// <see cref="TypedConsumeBenchmarks"/>. Run: see docs/benchmarks/kafka.md.
/// </summary>
[Config(typeof(KafkaConsumeBenchmarks.Config))]
[MemoryDiagnoser]
public class KafkaConsumeBenchmarks
{
    public const int Messages = 200_000;

    private KafkaBenchmarkTopic? _topic;
    private RawConfluentConsumer? _raw;
    private IKappaConsumer? _transport;

    /// <summary>Whether each measured iteration starts with the whole topic already fetched into the consumer's queue.</summary>
    [Params(false, true)]
    public bool Prefetched { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Kappa.Kafka.NativeLibraryLoader.EnsureLoaded();
        _topic = new KafkaBenchmarkTopic(Messages);
    }

    [GlobalCleanup]
    public void Cleanup() => _topic?.Dispose();

    [IterationSetup(Target = nameof(RawConfluentByteArray))]
    public void SetupRaw() => _raw = KafkaConsumeLoops.CreateRawConsumer(_topic!, Prefetched);

    [IterationCleanup(Target = nameof(RawConfluentByteArray))]
    public void CleanupRaw()
    {
        _raw!.Dispose();
    }

    [IterationSetup(Target = nameof(KafkaTransportSpans))]
    public void SetupTransport() => _transport = KafkaConsumeLoops.CreateTransportConsumer(_topic!, Prefetched);

    [IterationCleanup(Target = nameof(KafkaTransportSpans))]
    public void CleanupTransport() => _transport!.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public long RawConfluentByteArray() => KafkaConsumeLoops.RawConfluent(_raw!, Messages);

    [Benchmark(OperationsPerInvoke = Messages)]
    public long KafkaTransportSpans() => KafkaConsumeLoops.Transport(_transport!, Messages);

    /// <summary>Whole-topic reads are long single operations: monitor a few of them in-process (no separate build).</summary>
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
            // Per message (OperationsPerInvoke): median and min are robust against stalls from other load on the machine; Op/s is msg/s.
            AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.OperationsPerSecond);
        }
    }
}
