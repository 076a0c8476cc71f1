using Kappa.Log.Format;

namespace Kappa.Log.Transport;

/// <summary>
/// Records read ahead for one partition: their bytes copied into one buffer and their metadata in a table, so the
/// consumer's thread hands them out as spans without parsing. Starts small and grows with the partition's traffic.
/// </summary>
internal sealed class RecordChunk
{
    private const int InitialBytes = 16 * 1024;
    internal const int MaxBytes = 512 * 1024;
    private const int InitialRecords = 256;
    private const int MaxRecords = 8192;

    private byte[] _data = new byte[InitialBytes];
    private Entry[] _entries = new Entry[InitialRecords];
    private int _used;

    public int Count { get; private set; }

    /// <summary>The reader's position after the last record of this chunk (past any markers it skipped after it).</summary>
    public long EndPosition { get; set; }

    /// <summary>True when another record should go to the next chunk (the consumer can start on this one).</summary>
    public bool IsFull => Count >= MaxRecords || _used >= MaxBytes;

    /// <summary>Bytes the chunk holds room for (tests).</summary>
    internal int Capacity => _data.Length;

    /// <summary>Empties the chunk for the next fill; a buffer grown past the usual size for one large record is let go.</summary>
    public void Clear()
    {
        Count = 0;
        _used = 0;
        if (_data.Length > MaxBytes)
        {
            _data = new byte[MaxBytes];
        }
    }

    public void Add(in BatchRecord record)
    {
        int keyLength = record.KeyIsNull ? 0 : record.Key.Length;
        int valueLength = record.ValueIsNull ? 0 : record.Value.Length;
        int headersLength = record.EncodedHeaders.Length;
        int need = keyLength + valueLength + headersLength;
        if (_used + need > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _used + need));
        }

        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        int at = _used;
        Span<byte> data = _data.AsSpan(at);
        record.Key.CopyTo(data);
        record.Value.CopyTo(data[keyLength..]);
        record.EncodedHeaders.CopyTo(data[(keyLength + valueLength)..]);
        _used = at + need;
        _entries[Count++] = new Entry(record.Offset, record.TimestampMs, at, record.KeyIsNull ? -1 : keyLength, record.ValueIsNull ? -1 : valueLength, headersLength);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public BatchRecord Record(int index)
    {
        ref readonly Entry e = ref _entries[index];
        int at = e.Start;
        int keyLength = e.KeyLength < 0 ? 0 : e.KeyLength;
        int valueLength = e.ValueLength < 0 ? 0 : e.ValueLength;
        ReadOnlySpan<byte> data = _data.AsSpan(at, keyLength + valueLength + e.HeadersLength);
        return new BatchRecord(
            e.Offset,
            e.TimestampMs,
            data[..keyLength],
            e.KeyLength < 0,
            data.Slice(keyLength, valueLength),
            e.ValueLength < 0,
            data[(keyLength + valueLength)..]);
    }

    /// <summary>A record's place in <see cref="_data"/> (key, value, encoded headers back to back); a length of -1 is null.</summary>
    private readonly record struct Entry(long Offset, long TimestampMs, int Start, int KeyLength, int ValueLength, int HeadersLength);
}
