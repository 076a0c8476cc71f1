using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Kappa.Avro;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Benchmarks.Kafka;

/// <summary>
/// What the generated dispatcher adds to a decode, without Kafka: the same Avro-encoded <see cref="BenchEvent"/> decoded
/// directly (DecodeOnly, the baseline) or dispatched through <see cref="BenchTypedProcessor"/>'s generated dispatcher
/// (topic switch, null check, decode, RecordContext, handler call). Isolates the dispatcher's cost from the Kafka
/// consume loop, whose run-to-run noise is far larger (see <see cref="TypedConsumeBenchmarks"/>).
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class TypedDispatchOverheadBenchmarks
{
    private const int Records = 1_000;

    private readonly byte[][] _values = Enumerable.Range(0, Records).Select(TypedConsumeBenchmarks.EncodeEvent).ToArray();
    private readonly BenchTypedProcessor _processor = new();
    private readonly NoOutputProducer _producer = new();
    private IProcessorDispatcher? _dispatcher;

    [GlobalSetup]
    public void Setup() => _dispatcher = BenchTypedProcessor.CreateKappaDispatcher(_processor);

    [GlobalCleanup]
    public void Cleanup() => _dispatcher?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public long DecodeOnly()
    {
        long checksum = 0;
        for (int i = 0; i < _values.Length; i++)
        {
            ConsumedRecord record = Record(i);
            checksum += AvroSerializer.Deserialize<BenchEvent>(record.Value).AmountCents;
        }

        return checksum;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long TypedDispatch()
    {
        IProcessorDispatcher dispatcher = _dispatcher!;
        for (int i = 0; i < _values.Length; i++)
        {
            ConsumedRecord record = Record(i);
            dispatcher.Dispatch(in record, _producer);
        }

        return _processor.Checksum;
    }

    private ConsumedRecord Record(int i) =>
        new(TypedConsumeBenchmarks.Topic, i % 11, i, 1_700_000_000_000 + i, default, keyIsNull: true, _values[i], valueIsNull: false, RecordHeaders.Empty);

    /// <summary>In-process (no separate build of a boilerplate project), enough iterations for a few-ns difference.</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(20));
    }
}
