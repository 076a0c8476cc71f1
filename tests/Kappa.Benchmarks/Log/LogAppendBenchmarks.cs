using BenchmarkDotNet.Attributes;
using Kappa.Log;
using Kappa.Log.Format;

namespace Kappa.Benchmarks.Log;

/// <summary>Append throughput: batches of 1,000 records with 100-byte values, fsync off. Per-operation figures are per record.</summary>
[MemoryDiagnoser]
public class LogAppendBenchmarks
{
    private const int BatchSize = 1000;
    private const int Batches = 100;

    private string _dir = null!;
    private EmbeddedLog _log = null!;
    private PartitionLog _partition = null!;
    private RecordBatchBuilder _builder = null!;
    private readonly byte[] _value = new byte[100];
    private readonly byte[] _key = new byte[8];

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "kappa-log-bench", Guid.NewGuid().ToString("N"));
        _log = EmbeddedLog.Open(new EmbeddedLogOptions { Directory = _dir, FsyncPolicy = FsyncPolicy.Never, MaintenanceInterval = null });
        _log.EnsureTopic("append", new TopicConfig(1) { RetentionBytes = 256L * 1024 * 1024 });
        _partition = _log.GetPartition("append", 0);
        _builder = new RecordBatchBuilder(BatchSize * 160);
        new Random(2).NextBytes(_value);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _builder.Dispose();
        _log.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Build each batch (1,000 records) and append it.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize * Batches)]
    public long AppendBatches()
    {
        long last = 0;
        for (int b = 0; b < Batches; b++)
        {
            _builder.Reset();
            for (int i = 0; i < BatchSize; i++)
            {
                _key[0] = (byte)i;
                _builder.Append(1_700_000_000_000 + i, _key, false, _value, false, default);
            }

            last = _partition.Append(_builder.Finish());
        }

        _partition.ApplyRetention();
        return last;
    }
}
