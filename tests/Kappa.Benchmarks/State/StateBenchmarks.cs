using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Kappa.Buffers;
using Kappa.State;

namespace Kappa.Benchmarks.State;

/// <summary>
/// Per-record cost of the stateful path for a struct state: the in-memory store's read-modify-write by key bytes,
/// the state codec's decode-modify-encode, and System.Text.Json (source-generated) doing the same as the baseline.
/// Run: dotnet run -c Release --project tests/Kappa.Benchmarks -- --filter '*StateBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class StateBenchmarks
{
    private const int KeyCount = 1024;
    private readonly PooledBufferWriter _buffer = new(256);
    private static readonly StateChangeHandler CountBytes = static (key, value, tombstone) => s_changedBytes += value.Length;
    private static int s_changedBytes;
    private readonly PooledBufferWriter _jsonBuffer = new(256);
    private Utf8JsonWriter _json = null!;
    private byte[][] _keys = [];
    private KeyValueStore<BenchTotals> _store = new();
    private byte[] _state = [];
    private byte[] _jsonState = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _json = new Utf8JsonWriter(_jsonBuffer);
        _keys = [.. Enumerable.Range(0, KeyCount).Select(i => System.Text.Encoding.UTF8.GetBytes($"customer-{i:D6}"))];
        _store = new KeyValueStore<BenchTotals>();
        foreach (byte[] key in _keys)
        {
            _store.GetOrAdd(key).Orders = 1;
        }

        _store.MarkClean(0);
        var sample = new BenchTotals { Revenue = 1234.56m, Orders = 42, Average = 29.39, LastSeen = new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero) };
        _state = StateSerializer.SerializeToArray(in sample);
        _jsonState = JsonSerializer.SerializeToUtf8Bytes(sample, BenchTotalsJsonContext.Default.BenchTotals);
    }

    /// <summary>Store lookup by span key, update through the returned reference (marks the key dirty).</summary>
    [Benchmark]
    public long StoreReadModifyWrite()
    {
        ref BenchTotals totals = ref _store.GetOrAdd(_keys[_next++ & (KeyCount - 1)]);
        totals.Orders++;
        totals.Revenue += 1.25m;
        if ((_next & (KeyCount - 1)) == 0)
        {
            _store.MarkClean(_next);
        }

        return totals.Orders;
    }

    /// <summary>Decode state bytes, update, encode into a pooled buffer (what restore + changelog write cost per record).</summary>
    [Benchmark(Baseline = true)]
    public int CodecReadModifyWrite()
    {
        BenchTotals totals = StateSerializer.Deserialize<BenchTotals>(_state);
        totals.Orders++;
        totals.Revenue += 1.25m;
        _buffer.Reset();
        StateSerializer.Serialize(in totals, _buffer);
        return _buffer.WrittenCount;
    }

    /// <summary>The same with System.Text.Json source generation (the baseline people use).</summary>
    [Benchmark]
    public long SystemTextJsonReadModifyWrite()
    {
        BenchTotals totals = JsonSerializer.Deserialize(_jsonState, BenchTotalsJsonContext.Default.BenchTotals);
        totals.Orders++;
        totals.Revenue += 1.25m;
        _jsonBuffer.Reset();
        _json.Reset();
        JsonSerializer.Serialize(_json, totals, BenchTotalsJsonContext.Default.BenchTotals);
        _json.Flush();
        return _json.BytesCommitted;
    }

    /// <summary>A batch commit of 64 dirty keys: serialize each change in key order, then mark clean.</summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public int CommitBatchOf64()
    {
        for (int i = 0; i < 64; i++)
        {
            _store.GetOrAdd(_keys[_next++ & (KeyCount - 1)]).Orders++;
        }

        s_changedBytes = 0;
        _store.WriteChanges(CountBytes);
        _store.MarkClean(_next);
        return s_changedBytes;
    }
}
