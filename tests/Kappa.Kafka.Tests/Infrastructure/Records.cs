using Kappa.Transport;

namespace Kappa.Kafka.Tests.Infrastructure;

/// <summary>A consumed record copied out of the transport's buffers, for assertions.</summary>
public sealed record Received(
    string Topic, int Partition, long Offset, long TimestampMs, byte[]? Key, byte[]? Value, IReadOnlyList<(string Key, byte[]? Value)> Headers)
{
    public string? KeyText => Key is null ? null : System.Text.Encoding.UTF8.GetString(Key);

    public string? ValueText => Value is null ? null : System.Text.Encoding.UTF8.GetString(Value);

    public static Received From(in ConsumedRecord record)
    {
        var headers = new List<(string, byte[]?)>();
        foreach (RecordHeader header in record.Headers)
        {
            headers.Add((header.KeyString, header.ValueIsNull ? null : header.Value.ToArray()));
        }

        return new Received(
            record.Topic,
            record.Partition,
            record.Offset,
            record.TimestampMs,
            record.KeyIsNull ? null : record.Key.ToArray(),
            record.ValueIsNull ? null : record.Value.ToArray(),
            headers);
    }
}
