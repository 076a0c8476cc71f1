using Kappa.Transport;

namespace Kappa.Log.Format;

/// <summary>One record inside a batch, as spans over the batch bytes.</summary>
public readonly ref struct BatchRecord
{
    public BatchRecord(long offset, long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, ReadOnlySpan<byte> encodedHeaders)
    {
        Offset = offset;
        TimestampMs = timestampMs;
        Key = key;
        KeyIsNull = keyIsNull;
        Value = value;
        ValueIsNull = valueIsNull;
        EncodedHeaders = encodedHeaders;
    }

    /// <summary>Absolute offset (batch base offset plus the record's offset delta).</summary>
    public long Offset { get; }

    public long TimestampMs { get; }

    public ReadOnlySpan<byte> Key { get; }

    public bool KeyIsNull { get; }

    public ReadOnlySpan<byte> Value { get; }

    public bool ValueIsNull { get; }

    /// <summary>The header count and headers in Kafka's encoding (a single 0 byte when there are none).</summary>
    public ReadOnlySpan<byte> EncodedHeaders { get; }

    public RecordHeaders Headers => EncodedHeaders.Length == 1 && EncodedHeaders[0] == 0 ? RecordHeaders.Empty : new RecordHeaders(EncodedHeaders);
}
