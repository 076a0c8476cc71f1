namespace Kappa.Transport;

/// <summary>One record to produce. The producer copies what it needs before <see cref="IKappaProducer.Produce"/> returns.</summary>
public readonly ref struct OutgoingRecord
{
    public OutgoingRecord(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Topic = topic;
        Key = key;
        Value = value;
    }

    public string Topic { get; }

    /// <summary>Target partition; negative (the default) lets the producer choose: murmur2 of the key, as Kafka's default partitioner does.</summary>
    public int Partition { get; init; } = -1;

    public ReadOnlySpan<byte> Key { get; }

    public bool KeyIsNull { get; init; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>True to produce a tombstone.</summary>
    public bool ValueIsNull { get; init; }

    /// <summary>Headers in Kafka's record encoding (see <see cref="RecordHeaders"/> and <see cref="RecordHeadersWriter"/>); empty for none.</summary>
    public ReadOnlySpan<byte> EncodedHeaders { get; init; }

    /// <summary>Timestamp in ms since the Unix epoch. Processors pass the input record's timestamp, so replays produce identical records.</summary>
    public long TimestampMs { get; init; } = -1;
}
