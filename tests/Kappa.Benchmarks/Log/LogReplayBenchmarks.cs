using BenchmarkDotNet.Attributes;

namespace Kappa.Benchmarks.Log;

/// <summary>
/// Sequential replay of 1,000,000 records with 100-byte values, side by side with a raw FileStream read of the same
/// segment files (the physical limit) and with a raw Confluent.Kafka consumer reading as many records from librdkafka's
/// mock broker. Per-operation figures are per record (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class LogReplayBenchmarks
{
    public const int Records = 1_000_000;

    private LogDataset _dataset = null!;
    private readonly RawFileStreamSource _raw = new();
    private readonly PartitionReaderSource _reader = new();
    private readonly EmbeddedTransportSource _transport = new();
    private readonly ConfluentMockSource _confluent = new();

    [GlobalSetup]
    public void Setup()
    {
        _dataset = LogDataset.Create(Records, valueSize: 100);
        _raw.Setup(_dataset);
        _reader.Setup(_dataset);
        _transport.Setup(_dataset);
        _confluent.Setup(_dataset);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _confluent.Dispose();
        _transport.Dispose();
        _reader.Dispose();
        _dataset.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public long RawFileStream() => _raw.ReplayAll();

    [Benchmark(OperationsPerInvoke = Records)]
    public long PartitionReader() => _reader.ReplayAll();

    [Benchmark(OperationsPerInvoke = Records)]
    public long TransportConsumer() => _transport.ReplayAll();

    [Benchmark(OperationsPerInvoke = Records)]
    public long ConfluentMockBroker() => _confluent.ReplayAll();
}
