using Kappa.Log;
using Kappa.Naming;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class EmbeddedLogTransportTests
{
    private static void Produce(IKappaProducer producer, string topic, int from, int count, int partition = -1)
    {
        for (int i = from; i < from + count; i++)
        {
            producer.Produce(new OutgoingRecord(topic, Bytes($"key-{i}"), Bytes($"value-{i}")) { Partition = partition, TimestampMs = 1000 + i });
        }
    }

    private static List<(int Partition, long Offset, string Key)> Drain(IKappaConsumer consumer, int expected, TimeSpan timeout)
    {
        var got = new List<(int, long, string)>();
        var deadline = DateTime.UtcNow + timeout;
        while (got.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.TryConsume(TimeSpan.FromMilliseconds(50), out ConsumedRecord r))
            {
                got.Add((r.Partition, r.Offset, System.Text.Encoding.UTF8.GetString(r.Key)));
            }
        }

        return got;
    }

    [Fact]
    public void ProduceConsume_KeyedRecordsFollowKafkasPartitioner()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("orders", 4) });
        using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
        {
            Produce(producer, "orders", 0, 500);
            producer.Flush();
        }

        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "g" });
        consumer.Subscribe(new[] { "orders" });
        var got = Drain(consumer, 500, TimeSpan.FromSeconds(10));
        Assert.Equal(500, got.Count);
        Assert.Equal(4, consumer.Assignment.Count);
        foreach ((int partition, long _, string key) in got)
        {
            Assert.Equal(KafkaPartitioner.Partition(Bytes(key), 4), partition);
        }

        foreach (IGrouping<int, (int Partition, long Offset, string Key)> g in got.GroupBy(x => x.Partition))
        {
            Assert.Equal(Enumerable.Range(0, g.Count()).Select(i => (long)i), g.Select(x => x.Offset));
        }

        Assert.Equal(500, Enumerable.Range(0, 4).Sum(p => transport.GetWatermarks(new TopicPartition("orders", p)).High));
    }

    [Fact]
    public void CommittedOffsets_AreDurableAcrossRestarts()
    {
        using var dir = new TempDir();
        using (var transport = new EmbeddedLogTransport(Options(dir.Path)))
        {
            transport.EnsureTopics(new[] { new TopicSpec("in", 2) });
            using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
            Produce(producer, "in", 0, 100, partition: 0);
            Produce(producer, "in", 100, 100, partition: 1);
            producer.Flush();
            using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "p.v1" });
            consumer.Commit(new[] { new TopicPartitionOffset("in", 0, 40), new TopicPartitionOffset("in", 1, 7) });
            consumer.Commit(new[] { new TopicPartitionOffset("in", 0, 42) });
            Assert.Equal(42, consumer.Committed(new TopicPartition("in", 0)));
            Assert.Throws<KappaTransportException>(() => consumer.Commit(new[] { new TopicPartitionOffset("missing", 0, 1) }));
        }

        using (var transport = new EmbeddedLogTransport(Options(dir.Path)))
        {
            Assert.True(transport.GetPartitionCount(KappaNames.ConsumerOffsetsTopic) == 1);
            Assert.True(transport.Log.GetTopicConfig(KappaNames.ConsumerOffsetsTopic)!.Compacted);
            using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "p.v1" });
            Assert.Equal(42, consumer.Committed(new TopicPartition("in", 0)));
            Assert.Equal(7, consumer.Committed(new TopicPartition("in", 1)));
            consumer.Subscribe(new[] { "in" });
            var got = Drain(consumer, 58 + 93, TimeSpan.FromSeconds(10));
            Assert.Equal(58 + 93, got.Count);
            Assert.Equal(42, got.Where(g => g.Partition == 0).Min(g => g.Offset));
            Assert.Equal(7, got.Where(g => g.Partition == 1).Min(g => g.Offset));
            using IKappaConsumer other = transport.CreateConsumer(new ConsumerSettings { GroupId = "p.v2" });
            Assert.Null(other.Committed(new TopicPartition("in", 0)));
        }
    }

    [Fact]
    public void GroupMembers_SharePartitions_AndRebalanceWhenJoiningAndLeaving()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("t", 4) });
        var events = new List<string>();
        ConsumerSettings Settings(string name) => new()
        {
            GroupId = "g",
            OnAssigned = ps => events.Add($"{name}+{string.Join(",", ps.Select(p => p.Partition))}"),
            OnRevoked = ps => events.Add($"{name}-{string.Join(",", ps.Select(p => p.Partition))}"),
        };

        using IKappaConsumer a = transport.CreateConsumer(Settings("a"));
        using IKappaConsumer b = transport.CreateConsumer(Settings("b"));
        a.Subscribe(new[] { "t" });
        a.TryConsume(TimeSpan.Zero, out _);
        Assert.Equal(new[] { 0, 1, 2, 3 }, a.Assignment.Select(p => p.Partition));
        b.Subscribe(new[] { "t" });
        b.TryConsume(TimeSpan.Zero, out _);
        Assert.Empty(b.Assignment); // partitions move only after their owner released them
        a.TryConsume(TimeSpan.Zero, out _);
        Assert.Equal(new[] { 0, 1 }, a.Assignment.Select(p => p.Partition));
        b.TryConsume(TimeSpan.Zero, out _);
        Assert.Equal(new[] { 2, 3 }, b.Assignment.Select(p => p.Partition));
        Assert.Equal(new[] { "a+0,1,2,3", "a-2,3", "b+2,3" }, events);
        a.Close();
        Assert.Equal("a-0,1", events[^1]);
        b.TryConsume(TimeSpan.Zero, out _);
        Assert.Equal(new[] { 0, 1, 2, 3 }, b.Assignment.Select(p => p.Partition));
        Assert.Equal("b+0,1", events[^1]);
    }

    [Fact]
    public void Assign_ReadsExactPartitionsFromOffsets()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("t", 2) });
        using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
        {
            Produce(producer, "t", 0, 50, partition: 1);
            producer.Flush();
        }

        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "verify" });
        consumer.Assign(new[] { new TopicPartitionOffset("t", 1, 45) });
        var got = Drain(consumer, 5, TimeSpan.FromSeconds(5));
        Assert.Equal(new long[] { 45, 46, 47, 48, 49 }, got.Select(g => g.Offset));
        Assert.False(consumer.TryConsume(TimeSpan.FromMilliseconds(20), out _));
        Assert.Throws<InvalidOperationException>(() => consumer.Subscribe(new[] { "t" }));
        Assert.Throws<KappaTransportException>(() => consumer.Assign(new[] { new TopicPartitionOffset("t", 9, 0) }));
    }

    [Fact]
    public void ReaderAtTheTail_WakesUpWhenDataIsAppended()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("t", 1) });
        using var ready = new ManualResetEventSlim();
        string? received = null;
        var thread = new Thread(() =>
        {
            using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "tail" });
            consumer.Subscribe(new[] { "t" });
            consumer.TryConsume(TimeSpan.Zero, out _);
            ready.Set();
            if (consumer.TryConsume(TimeSpan.FromSeconds(30), out ConsumedRecord r))
            {
                received = System.Text.Encoding.UTF8.GetString(r.Value);
            }
        });
        thread.Start();
        ready.Wait();
        using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
        {
            producer.Produce(new OutgoingRecord("t", Bytes("k"), Bytes("hello")));
            producer.Flush();
        }

        thread.Join();
        Assert.Equal("hello", received);
    }

    [Fact]
    public void NullKeys_AreSpreadAndHeadersAndTombstonesRoundTrip()
    {
        using var dir = new TempDir();
        EmbeddedLogOptions options = Options(dir.Path);
        options.ProducerBatchRecords = 10;
        using var transport = new EmbeddedLogTransport(options);
        transport.EnsureTopics(new[] { new TopicSpec("t", 3) });
        var headers = new RecordHeadersWriter().Add("trace", "abc");
        using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
        {
            for (int i = 0; i < 60; i++)
            {
                producer.Produce(new OutgoingRecord("t", default, Bytes($"v{i}")) { KeyIsNull = true, EncodedHeaders = headers.Encoded });
            }

            producer.Produce(new OutgoingRecord("t", Bytes("gone"), default) { ValueIsNull = true, Partition = 0 });
            producer.Flush();
        }

        Assert.All(Enumerable.Range(0, 3), p => Assert.True(transport.GetWatermarks(new TopicPartition("t", p)).High >= 10));
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "g" });
        consumer.Subscribe(new[] { "t" });
        int count = 0;
        bool sawTombstone = false;
        while (consumer.TryConsume(TimeSpan.FromMilliseconds(200), out ConsumedRecord r))
        {
            count++;
            if (r.ValueIsNull)
            {
                sawTombstone = true;
                Assert.Equal("gone", System.Text.Encoding.UTF8.GetString(r.Key));
            }
            else
            {
                Assert.True(r.KeyIsNull);
                Assert.Equal("abc", r.Headers.GetLastString("trace"));
            }
        }

        Assert.Equal(61, count);
        Assert.True(sawTombstone);
    }
}
