using System.Text;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

public class RoundTripTests
{
    [Fact]
    public void Produced_records_come_back_with_keys_values_headers_timestamps_and_tombstones()
    {
        using TestCluster cluster = TestCluster.Create();
        string topic = cluster.NewTopic("roundtrip", 1);
        var headers = new RecordHeadersWriter();
        using (IKappaProducer producer = cluster.Transport.CreateProducer(new ProducerSettings { ClientId = "rt" }))
        {
            headers.Add("trace", "abc").Add("empty", ReadOnlySpan<byte>.Empty).Add("nothing", (string?)null).Add("trace", "zß€");
            Consume.Produce(producer, topic, "k1", "v1", partition: 0, timestampMs: 1_700_000_000_123, headers: headers);
            Consume.Produce(producer, topic, "k2", null, partition: 0, timestampMs: 1_700_000_000_456);
            Consume.Produce(producer, topic, null, "no key", partition: 0, timestampMs: 5);
            producer.Produce(new OutgoingRecord(topic, [], []) { Partition = 0, TimestampMs = 6 });
            producer.Flush();
        }

        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = "rt-" + Guid.NewGuid() });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        List<Received> got = Consume.Exactly(consumer, 4);

        Assert.All(got, r => Assert.Equal(topic, r.Topic));
        Assert.Equal([0L, 1L, 2L, 3L], got.Select(r => r.Offset));
        Assert.Equal(("k1", "v1", 1_700_000_000_123L), (got[0].KeyText, got[0].ValueText, got[0].TimestampMs));
        Assert.Equal(
            [("trace", "abc"), ("empty", ""), ("nothing", null), ("trace", "zß€")],
            got[0].Headers.Select(h => (h.Key, h.Value is null ? null : Encoding.UTF8.GetString(h.Value))));
        Assert.Equal(("k2", (string?)null, 1_700_000_000_456L), (got[1].KeyText, got[1].ValueText, got[1].TimestampMs));
        Assert.Empty(got[1].Headers);
        Assert.Equal((null, "no key", 5L), (got[2].KeyText, got[2].ValueText, got[2].TimestampMs));
        // Empty is not null: an empty key and value stay empty.
        Assert.Equal(([], []), (got[3].Key!, got[3].Value!));
    }

    [Fact]
    public void Header_spans_follow_the_record_headers_encoding()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("headers", 1);
        using (IKappaProducer producer = cluster.Transport.CreateProducer(new ProducerSettings()))
        {
            var headers = new RecordHeadersWriter().Add("a", "1").Add("b", (string?)null);
            Consume.Produce(producer, topic, "k", "v", headers: headers);
            producer.Flush();
        }

        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = "h" });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        Assert.True(WaitFor(consumer, out byte[] encoded, out string? a, out int count));

        // count 2; "a" -> "1"; "b" -> null (length -1), zig-zag varints.
        Assert.Equal(new byte[] { 4, 2, (byte)'a', 2, (byte)'1', 2, (byte)'b', 1 }, encoded);
        Assert.Equal("1", a);
        Assert.Equal(2, count);
    }

    [Fact]
    public void Watermarks_and_partition_counts_reflect_the_topic()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("wm", 2);
        Assert.Equal(2, cluster.Transport.GetPartitionCount(topic));
        Assert.Null(cluster.Transport.GetPartitionCount("missing-" + Guid.NewGuid().ToString("N")));

        using (IKappaProducer producer = cluster.Transport.CreateProducer(new ProducerSettings()))
        {
            for (int i = 0; i < 5; i++)
            {
                Consume.Produce(producer, topic, "k", "v" + i, partition: 1);
            }

            producer.Flush();
        }

        Assert.Equal(new WatermarkOffsets(0, 0), cluster.Transport.GetWatermarks(new TopicPartition(topic, 0)));
        Assert.Equal(new WatermarkOffsets(0, 5), cluster.Transport.GetWatermarks(new TopicPartition(topic, 1)));
    }

    [Fact]
    public void EnsureTopics_creates_missing_topics_and_rejects_a_partition_count_conflict()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string name = "ensure-" + Guid.NewGuid().ToString("N");
        cluster.Transport.EnsureTopics([new TopicSpec(name, 3)]);
        Assert.Equal(3, cluster.Transport.GetPartitionCount(name));

        cluster.Transport.EnsureTopics([new TopicSpec(name, 3)]);
        var ex = Assert.Throws<KappaTransportException>(() => cluster.Transport.EnsureTopics([new TopicSpec(name, 4)]));
        Assert.Contains($"'{name}' exists with 3 partition(s) but 4 are required", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => cluster.Transport.EnsureTopics([new TopicSpec(name, 0)]));
    }

    private static bool WaitFor(IKappaConsumer consumer, out byte[] encoded, out string? a, out int count)
    {
        long end = Environment.TickCount64 + (long)Consume.Deadline.TotalMilliseconds;
        while (Environment.TickCount64 < end)
        {
            if (consumer.TryConsume(TimeSpan.FromMilliseconds(200), out ConsumedRecord record))
            {
                encoded = record.Headers.Encoded.ToArray();
                a = record.Headers.GetLastString("a");
                count = record.Headers.Count;
                return true;
            }
        }

        encoded = [];
        a = null;
        count = 0;
        return false;
    }
}
