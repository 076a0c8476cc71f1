using System.Text;

namespace Kappa.Testing;

/// <summary>One output record read by the driver, with its value decoded.</summary>
public sealed class TestRecord<T>
{
    internal TestRecord(string topic, int partition, long offset, byte[]? key, T value, long timestampMs, IReadOnlyList<KeyValuePair<string, byte[]?>> headers)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        Key = key;
        Value = value;
        TimestampMs = timestampMs;
        Headers = headers;
    }

    public string Topic { get; }

    public int Partition { get; }

    public long Offset { get; }

    /// <summary>The key bytes, or null for a null key.</summary>
    public byte[]? Key { get; }

    /// <summary>The key as UTF-8 text, or null for a null key.</summary>
    public string? KeyText => Key is null ? null : Encoding.UTF8.GetString(Key);

    public T Value { get; }

    public long TimestampMs { get; }

    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs);

    /// <summary>Headers in record order (null values kept).</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]?>> Headers { get; }

    /// <summary>The last header with this name as UTF-8 text, or null when absent or null.</summary>
    public string? Header(string name) => TestHeaders.Last(Headers, name);

    public override string ToString() => $"{Topic}-{Partition}@{Offset} key '{KeyText}': {Value}";
}
