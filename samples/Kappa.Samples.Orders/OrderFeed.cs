using System.Text;
using Kappa.Avro;
using Kappa.Buffers;
using Kappa.Transport;

namespace Kappa.Samples.Orders;

/// <summary>Writes a reproducible stream of orders (same seed, same bytes) plus one corrupt record.</summary>
public static class OrderFeed
{
    public const string Topic = "orders";

    /// <summary>Produces <paramref name="count"/> orders; returns the offset-independent count of records written.</summary>
    public static int Write(IKappaTransport transport, int count, int partitions, int seed = 42)
    {
        transport.EnsureTopics([new TopicSpec(Topic, partitions)]);
        var random = new Random(seed); // test-data generation, outside any processor
        string[] regions = ["EU", "US", "APAC", "LATAM"];
        string[] skus = ["kb-01", "mouse-7", "usb-c", "monitor-27", "chair-x", "desk-l"];
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings { ClientId = "order-feed" });
        using var buffer = new PooledBufferWriter();
        int written = 0;
        for (int i = 0; i < count; i++)
        {
            var lines = new List<OrderLine>();
            int lineCount = random.Next(1, 4);
            for (int l = 0; l < lineCount; l++)
            {
                lines.Add(new OrderLine(skus[random.Next(skus.Length)], random.Next(1, 5), random.Next(0, 40000) / 100m));
            }

            decimal amount = i % 97 == 0 ? 0m : lines.Sum(x => x.Quantity * x.UnitPrice);
            var placedAt = start.AddSeconds(i);
            var order = new Order($"o-{i:D6}", $"c-{random.Next(500):D3}", regions[random.Next(regions.Length)], amount, placedAt, lines, i % 10 == 0 ? "WELCOME10" : null);
            buffer.Reset();
            AvroSerializer.Serialize(order, buffer);
            producer.Produce(new OutgoingRecord(Topic, Encoding.UTF8.GetBytes(order.Customer), buffer.WrittenSpan) { TimestampMs = placedAt.ToUnixTimeMilliseconds() });
            written++;
            if (i == count / 2)
            {
                // A poison record: not a valid Avro Order. The processor dead-letters it and carries on.
                producer.Produce(new OutgoingRecord(Topic, "c-bad"u8, [0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) { TimestampMs = placedAt.ToUnixTimeMilliseconds() });
                written++;
            }
        }

        producer.Flush();
        return written;
    }
}
