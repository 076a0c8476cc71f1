namespace Kappa.Transport;

/// <summary>
/// One record as a transport delivers it: metadata plus spans over the transport's own buffers (no copy).
/// The spans are valid only until the next call on the consumer that delivered the record.
/// </summary>
public readonly ref struct ConsumedRecord
{
    public ConsumedRecord(
        string topic,
        int partition,
        long offset,
        long timestampMs,
        ReadOnlySpan<byte> key,
        bool keyIsNull,
        ReadOnlySpan<byte> value,
        bool valueIsNull,
        RecordHeaders headers)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        TimestampMs = timestampMs;
        Key = key;
        KeyIsNull = keyIsNull;
        Value = value;
        ValueIsNull = valueIsNull;
        Headers = headers;
    }

    public string Topic { get; }

    public int Partition { get; }

    public long Offset { get; }

    /// <summary>Record timestamp in milliseconds since the Unix epoch (Kafka's convention).</summary>
    public long TimestampMs { get; }

    public ReadOnlySpan<byte> Key { get; }

    public bool KeyIsNull { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>True for a tombstone (a null value).</summary>
    public bool ValueIsNull { get; }

    public RecordHeaders Headers { get; }
}
