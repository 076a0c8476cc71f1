using Kappa.Transport;

namespace Kappa.Sinks;

/// <summary>
/// The records a sink writer applies in one database transaction, in topic order per partition, with the next offset
/// of every partition they advance. Reused from batch to batch: the rows array and the byte arena holding keys, values
/// and headers grow to the largest batch and are not allocated again.
/// </summary>
public sealed class SinkBatch<T>
{
    private SinkRow<T>[] _rows = new SinkRow<T>[256];
    private byte[] _arena = new byte[64 * 1024];
    private int _arenaUsed;
    private readonly List<TopicPartitionOffset> _next = new();

    public SinkBatch(string topic)
    {
        Topic = topic;
    }

    /// <summary>The topic the rows come from.</summary>
    public string Topic { get; }

    /// <summary>Number of rows (values and tombstones).</summary>
    public int Count { get; private set; }

    /// <summary>Records consumed into this batch, including those dead-lettered before reaching the database.</summary>
    public int Consumed { get; private set; }

    /// <summary>Number of tombstones among the rows.</summary>
    public int Tombstones { get; private set; }

    /// <summary>After the batch commits, each partition's next offset to read (one entry per partition the batch advanced).</summary>
    public IReadOnlyList<TopicPartitionOffset> NextOffsets => _next;

    public ref readonly SinkRow<T> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The batch has {Count} rows.");
            }

            return ref _rows[index];
        }
    }

    /// <summary>The record key of a row (empty for a null key: check <see cref="SinkRow{T}.KeyIsNull"/>).</summary>
    public ReadOnlySpan<byte> Key(int index)
    {
        ref readonly SinkRow<T> row = ref this[index];
        return _arena.AsSpan(row.KeyStart, row.KeyLength);
    }

    /// <summary>The record key as memory over the batch's buffer (valid until the batch is cleared), for APIs that take memory.</summary>
    public ReadOnlyMemory<byte> KeyMemory(int index)
    {
        ref readonly SinkRow<T> row = ref this[index];
        return _arena.AsMemory(row.KeyStart, row.KeyLength);
    }

    /// <summary>The record's encoded value as consumed (for dead letters).</summary>
    public ReadOnlySpan<byte> RawValue(int index)
    {
        ref readonly SinkRow<T> row = ref this[index];
        return _arena.AsSpan(row.ValueStart, row.ValueLength);
    }

    /// <summary>The record's headers in Kafka's encoding (for dead letters).</summary>
    public ReadOnlySpan<byte> RawHeaders(int index)
    {
        ref readonly SinkRow<T> row = ref this[index];
        return _arena.AsSpan(row.HeadersStart, row.HeadersLength);
    }

    internal void Clear()
    {
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(_rows, 0, Count);
        }

        Count = 0;
        Consumed = 0;
        Tombstones = 0;
        _arenaUsed = 0;
        _next.Clear();
    }

    /// <summary>Notes that a record of this partition was consumed (whether or not it becomes a row).</summary>
    internal void Advance(int partition, long offset)
    {
        Consumed++;
        var next = new TopicPartitionOffset(Topic, partition, offset + 1);
        for (int i = 0; i < _next.Count; i++)
        {
            if (_next[i].Partition == partition)
            {
                _next[i] = next;
                return;
            }
        }

        _next.Add(next);
    }

    internal void Add(in ConsumedRecord record, T value, bool isTombstone)
    {
        if (Count == _rows.Length)
        {
            Array.Resize(ref _rows, _rows.Length * 2);
        }

        ref SinkRow<T> row = ref _rows[Count++];
        row.Partition = record.Partition;
        row.Offset = record.Offset;
        row.TimestampMs = record.TimestampMs;
        row.IsTombstone = isTombstone;
        row.KeyIsNull = record.KeyIsNull;
        row.Value = value;
        row.KeyStart = Copy(record.Key, out row.KeyLength);
        row.ValueStart = Copy(record.Value, out row.ValueLength);
        row.HeadersStart = Copy(record.Headers.Encoded, out row.HeadersLength);
        if (isTombstone)
        {
            Tombstones++;
        }
    }

    private int Copy(ReadOnlySpan<byte> data, out int length)
    {
        length = data.Length;
        if (_arenaUsed + data.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + data.Length));
        }

        int start = _arenaUsed;
        data.CopyTo(_arena.AsSpan(start));
        _arenaUsed += data.Length;
        return start;
    }
}
