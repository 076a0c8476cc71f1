using Kappa.Transport;

namespace Kappa.Kafka.Tests.Infrastructure;

/// <summary>Consume helpers with generous deadlines (a deadline only bounds a failing test; nothing asserts on time).</summary>
public static class Consume
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Reads until <paramref name="count"/> records arrived; fails the test at the deadline.</summary>
    public static List<Received> Exactly(IKappaConsumer consumer, int count, TimeSpan? deadline = null)
    {
        var received = new List<Received>();
        long end = Environment.TickCount64 + (long)(deadline ?? Deadline).TotalMilliseconds;
        while (received.Count < count)
        {
            if (Environment.TickCount64 > end)
            {
                Assert.Fail($"Expected {count} records, received {received.Count} before the deadline.");
            }

            if (consumer.TryConsume(TimeSpan.FromMilliseconds(200), out ConsumedRecord record))
            {
                received.Add(Received.From(record));
            }
        }

        return received;
    }

    /// <summary>Reads whatever arrives within <paramref name="quiet"/> of the last record (to prove nothing more comes).</summary>
    public static List<Received> Drain(IKappaConsumer consumer, TimeSpan quiet)
    {
        var received = new List<Received>();
        while (consumer.TryConsume(quiet, out ConsumedRecord record))
        {
            received.Add(Received.From(record));
        }

        return received;
    }

    public static void Produce(IKappaProducer producer, string topic, string? key, string? value, int partition = -1, long timestampMs = -1, RecordHeadersWriter? headers = null)
    {
        byte[]? k = key is null ? null : System.Text.Encoding.UTF8.GetBytes(key);
        byte[]? v = value is null ? null : System.Text.Encoding.UTF8.GetBytes(value);
        producer.Produce(new OutgoingRecord(topic, k, v)
        {
            KeyIsNull = k is null,
            ValueIsNull = v is null,
            Partition = partition,
            TimestampMs = timestampMs,
            EncodedHeaders = headers is null ? default : headers.Encoded,
        });
    }
}
