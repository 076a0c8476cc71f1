using Kappa.Transport;

namespace Kappa;

/// <summary>
/// What a handler may know about the record it is processing: where it sits in the log and what it carried.
/// Everything here is part of the log, so using it keeps a processor deterministic under replay
/// (use <see cref="Timestamp"/> instead of the wall clock).
/// </summary>
public readonly ref partial struct RecordContext
{
    public RecordContext(string topic, int partition, long offset, long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull, RecordHeaders headers)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        TimestampMs = timestampMs;
        Key = key;
        KeyIsNull = keyIsNull;
        Headers = headers;
    }

    /// <summary>Builds the context of a record delivered by a transport.</summary>
    public RecordContext(in ConsumedRecord record)
        : this(record.Topic, record.Partition, record.Offset, record.TimestampMs, record.Key, record.KeyIsNull, record.Headers)
    {
    }

    public string Topic { get; }

    public int Partition { get; }

    public long Offset { get; }

    /// <summary>The record's timestamp in milliseconds since the Unix epoch.</summary>
    public long TimestampMs { get; }

    /// <summary>The record's timestamp: the deterministic replacement for <c>DateTimeOffset.UtcNow</c>.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs);

    public ReadOnlySpan<byte> Key { get; }

    public bool KeyIsNull { get; }

    public RecordHeaders Headers { get; }
}
