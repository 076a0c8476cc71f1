using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

public class ConsumerGroupTests
{
    private static readonly Dictionary<string, string> FastGroup = new()
    {
        ["heartbeat.interval.ms"] = "200",
        ["session.timeout.ms"] = "6000",
    };

    [Fact]
    public void A_second_consumer_of_the_group_resumes_after_the_committed_offset()
    {
        using TestCluster cluster = TestCluster.Create();
        string topic = cluster.NewTopic("commit", 1);
        string group = "g-" + Guid.NewGuid().ToString("N");
        ProduceNumbered(cluster, topic, 0, 10);

        using (IKappaConsumer first = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = group, TransportProperties = FastGroup }))
        {
            first.Subscribe([topic]);
            List<Received> got = Consume.Exactly(first, 4);
            Assert.Equal(["0", "1", "2", "3"], got.Select(r => r.ValueText));
            Assert.Null(first.Committed(new TopicPartition(topic, 0)));
            first.Commit([new TopicPartitionOffset(topic, 0, got[^1].Offset + 1)]);
            Assert.Equal(4, first.Committed(new TopicPartition(topic, 0)));
            first.Close();
        }

        using IKappaConsumer second = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = group, TransportProperties = FastGroup });
        second.Subscribe([topic]);
        List<Received> rest = Consume.Exactly(second, 6);
        Assert.Equal(["4", "5", "6", "7", "8", "9"], rest.Select(r => r.ValueText));
        Assert.Equal(4, second.Committed(new TopicPartition(topic, 0)));
    }

    [Fact]
    public void StartFrom_latest_skips_records_produced_before_joining()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("latest", 1);
        ProduceNumbered(cluster, topic, 0, 3);
        var assigned = new List<TopicPartition>();
        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = "latest-" + Guid.NewGuid().ToString("N"),
            StartFrom = StartPosition.Latest,
            OnAssigned = assigned.AddRange,
            TransportProperties = FastGroup,
        });
        consumer.Subscribe([topic]);
        long end = Environment.TickCount64 + 60_000;
        while (assigned.Count == 0 && Environment.TickCount64 < end)
        {
            Assert.False(consumer.TryConsume(TimeSpan.FromMilliseconds(100), out _));
        }

        Assert.Equal([new TopicPartition(topic, 0)], assigned);
        // The start position resolves to the log end asynchronously; keep producing until records arrive (no race on
        // when it resolves), then check that none of the records produced before joining was delivered.
        var got = new List<Received>();
        int next = 3;
        end = Environment.TickCount64 + 60_000;
        while (got.Count == 0 && Environment.TickCount64 < end)
        {
            ProduceNumbered(cluster, topic, next++, 1);
            got.AddRange(Consume.Drain(consumer, TimeSpan.FromMilliseconds(500)));
        }

        Assert.NotEmpty(got);
        Assert.All(got, r => Assert.True(int.Parse(r.ValueText!, System.Globalization.CultureInfo.InvariantCulture) >= 3, $"record {r.ValueText} was produced before the consumer joined"));
        Assert.Equal(got.Select(r => r.ValueText).Order(), got.Select(r => r.ValueText).Distinct().Order());
    }

    [Fact]
    public void Two_consumers_of_one_group_split_the_partitions_and_rebalance_callbacks_fire()
    {
        using TestCluster cluster = TestCluster.Create();
        string topic = cluster.NewTopic("split", 4);
        string group = "split-" + Guid.NewGuid().ToString("N");
        var assignedA = new List<TopicPartition>();
        var revokedA = new List<TopicPartition>();
        var assignedB = new List<TopicPartition>();
        int consumingThread = Environment.CurrentManagedThreadId;
        int callbackThreadMismatches = 0;
        void OnThread() => callbackThreadMismatches += Environment.CurrentManagedThreadId == consumingThread ? 0 : 1;

        using IKappaConsumer a = cluster.Transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = group,
            ClientId = "a",
            OnAssigned = p => { OnThread(); assignedA.AddRange(p); },
            OnRevoked = p => { OnThread(); revokedA.AddRange(p); },
            TransportProperties = FastGroup,
        });
        a.Subscribe([topic]);
        PollUntil(() => a.Assignment.Count == 4, a);
        Assert.Equal(4, assignedA.Distinct().Count());

        using IKappaConsumer b = cluster.Transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = group,
            ClientId = "b",
            OnAssigned = p => { OnThread(); assignedB.AddRange(p); },
            TransportProperties = FastGroup,
        });
        b.Subscribe([topic]);
        PollUntil(() => a.Assignment.Count > 0 && b.Assignment.Count > 0 && a.Assignment.Count + b.Assignment.Count == 4, a, b);

        Assert.Empty(a.Assignment.Intersect(b.Assignment));
        Assert.Equal(4, a.Assignment.Union(b.Assignment).Count());
        Assert.NotEmpty(revokedA);
        Assert.Equal(b.Assignment.OrderBy(p => p.Partition), assignedB.Distinct().OrderBy(p => p.Partition));
        Assert.Equal(0, callbackThreadMismatches);

        // Records of every partition reach exactly the consumer owning it.
        ProduceNumbered(cluster, topic, 0, 40);
        var seen = new List<(string Owner, Received Record)>();
        long end = Environment.TickCount64 + 60_000;
        while (seen.Count < 40 && Environment.TickCount64 < end)
        {
            if (a.TryConsume(TimeSpan.FromMilliseconds(50), out ConsumedRecord ra))
            {
                seen.Add(("a", Received.From(ra)));
            }

            if (b.TryConsume(TimeSpan.FromMilliseconds(50), out ConsumedRecord rb))
            {
                seen.Add(("b", Received.From(rb)));
            }
        }

        Assert.Equal(40, seen.Count);
        Assert.All(seen, s => Assert.Contains(new TopicPartition(s.Record.Topic, s.Record.Partition), s.Owner == "a" ? a.Assignment : b.Assignment));
        Assert.Contains(seen, s => s.Owner == "a");
        Assert.Contains(seen, s => s.Owner == "b");

        var revokedOnClose = revokedA.Count;
        a.Close();
        Assert.True(revokedA.Count > revokedOnClose, "closing a member revokes its partitions through OnRevoked");
    }

    [Fact]
    public void A_subscription_to_several_topics_reports_each_records_topic()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string first = cluster.NewTopic("multi-a", 2);
        string second = cluster.NewTopic("multi-b", 1);
        ProduceNumbered(cluster, first, 0, 5);
        ProduceNumbered(cluster, second, 100, 5);
        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = "multi-" + Guid.NewGuid().ToString("N"), TransportProperties = FastGroup });
        consumer.Subscribe([first, second]);
        List<Received> got = Consume.Exactly(consumer, 10);
        Assert.Equal(["0", "1", "2", "3", "4"], got.Where(r => r.Topic == first).Select(r => r.ValueText).Order());
        Assert.Equal(["100", "101", "102", "103", "104"], got.Where(r => r.Topic == second).Select(r => r.ValueText).Order());
        Assert.Equal(3, consumer.Assignment.Count);
    }

    [Fact]
    public void Assign_reads_from_the_given_offset_without_joining_a_group()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("assign", 2);
        ProduceNumbered(cluster, topic, 0, 6, partition: 1);
        bool callback = false;
        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = "assign", OnAssigned = _ => callback = true });
        consumer.Assign([new TopicPartitionOffset(topic, 1, 3)]);
        List<Received> got = Consume.Exactly(consumer, 3);
        Assert.Equal([3L, 4L, 5L], got.Select(r => r.Offset));
        Assert.All(got, r => Assert.Equal(1, r.Partition));
        Assert.Equal([new TopicPartition(topic, 1)], consumer.Assignment);
        Assert.False(callback);
        Assert.Throws<ArgumentException>(() => consumer.Commit([new TopicPartitionOffset(topic, 1, -1)]));
    }

    internal static void ProduceNumbered(TestCluster cluster, string topic, int from, int count, int partition = -1)
    {
        using IKappaProducer producer = cluster.Transport.CreateProducer(new ProducerSettings());
        for (int i = from; i < from + count; i++)
        {
            Consume.Produce(producer, topic, "key-" + i, i.ToString(System.Globalization.CultureInfo.InvariantCulture), partition);
        }

        producer.Flush();
    }

    private static void PollUntil(Func<bool> condition, params IKappaConsumer[] consumers)
    {
        long end = Environment.TickCount64 + 60_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < end, "the group did not settle before the deadline");
            foreach (IKappaConsumer consumer in consumers)
            {
                Assert.False(consumer.TryConsume(TimeSpan.FromMilliseconds(50), out _), "no records were produced yet");
            }
        }
    }
}
