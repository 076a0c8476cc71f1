using BenchmarkDotNet.Attributes;
using Kappa.Log;
using Kappa.Log.Format;

namespace Kappa.Benchmarks.Log;

/// <summary>
/// Random-offset lookup (segment search, offset index binary search, scan to the record, read it) as the log grows
/// 10x and 100x. Per-operation figures are per lookup.
/// </summary>
[MemoryDiagnoser]
public class LogOffsetLookupBenchmarks
{
    private const int Lookups = 256;

    private LogDataset _dataset = null!;
    private PartitionReader _reader = null!;
    private long[] _offsets = null!;

    [Params(100_000, 1_000_000, 10_000_000)]
    public int LogRecords { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dataset = LogDataset.Create(LogRecords, valueSize: 10);
        _reader = _dataset.Partition.OpenReader(0);
        var random = new Random(5);
        _offsets = Enumerable.Range(0, Lookups).Select(_ => random.NextInt64(LogRecords)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _dataset.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public long SeekAndRead()
    {
        long sum = 0;
        foreach (long offset in _offsets)
        {
            _reader.Seek(offset);
            if (!_reader.TryRead(out BatchRecord record) || record.Offset != offset)
            {
                throw new InvalidOperationException($"Lookup of offset {offset} failed.");
            }

            sum += record.Offset;
        }

        return sum;
    }
}
