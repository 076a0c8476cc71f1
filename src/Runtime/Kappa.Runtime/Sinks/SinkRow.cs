namespace Kappa.Sinks;

/// <summary>One record of a <see cref="SinkBatch{T}"/>: a decoded value to write, or a tombstone (upsert tables only).</summary>
public struct SinkRow<T>
{
    public int Partition;

    public long Offset;

    public long TimestampMs;

    /// <summary>True for a tombstone: delete the rows whose record key equals this record's key; <see cref="Value"/> is default.</summary>
    public bool IsTombstone;

    public bool KeyIsNull;

    public T Value;

    internal int KeyStart;

    internal int KeyLength;

    internal int ValueStart;

    internal int ValueLength;

    internal int HeadersStart;

    internal int HeadersLength;
}
