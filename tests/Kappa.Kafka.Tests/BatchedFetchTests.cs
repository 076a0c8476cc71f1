using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

/// <summary>
/// The consumer takes records from librdkafka in batches and hands them out one at a time: records fetched but not yet
/// delivered must behave as if they were still in librdkafka (position, pause, revocation, reassignment).
/// </summary>
public class BatchedFetchTests
{
    private const int PerPartition = 60;

    private static readonly Dictionary<string, string> FastGroup = new()
    {
        ["heartbeat.interval.ms"] = "200",
        ["session.timeout.ms"] = "6000",
    };

    [Fact]
    public void Position_is_the_first_buffered_record_and_a_paused_partitions_buffered_records_come_after_resume()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("batch-pause", 2);
        ProducePerPartition(cluster, topic, 2);

        using var consumer = (KafkaConsumer)cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = Transactions.NewGroup("batch-pause") });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0), new TopicPartitionOffset(topic, 1, 0)]);
        var delivered = new List<Received>(Consume.Exactly(consumer, 1));
        FillBuffer(consumer, delivered);

        // Position: the offset of the next record each partition would deliver, although librdkafka is past the batch.
        var next = new Dictionary<int, long>();
        for (int p = 0; p < 2; p++)
        {
            List<Received> ofPartition = delivered.Where(r => r.Partition == p).ToList();
            next[p] = ofPartition.Count == 0 ? 0 : ofPartition[^1].Offset + 1;
            Assert.Equal(next[p], consumer.Position(new TopicPartition(topic, p)));
        }

        // Pause the partition with the most records left; its buffered records are held, not delivered, not dropped.
        int paused = next[0] <= next[1] ? 0 : 1;
        var pausedPartition = new TopicPartition(topic, paused);
        consumer.Pause([pausedPartition]);

        // The other partition delivers the rest of its records (waited for: librdkafka fetches them when it gets to it,
        // which on a loaded machine can take longer than any fixed quiet period), then nothing more comes while paused.
        int other = 1 - paused;
        var whilePaused = new List<Received>();
        long end = Environment.TickCount64 + (long)Consume.Deadline.TotalMilliseconds;
        while (delivered.Count(r => r.Partition == other) + whilePaused.Count(r => r.Partition == other) < PerPartition)
        {
            Assert.True(
                Environment.TickCount64 < end,
                $"partition {other} delivered {delivered.Count(r => r.Partition == other) + whilePaused.Count(r => r.Partition == other)} of its {PerPartition} records before the deadline while partition {paused} was paused");
            if (consumer.TryConsume(TimeSpan.FromMilliseconds(200), out ConsumedRecord record))
            {
                whilePaused.Add(Received.From(record));
            }
        }

        whilePaused.AddRange(Consume.Drain(consumer, TimeSpan.FromSeconds(2)));
        Assert.DoesNotContain(whilePaused, r => r.Partition == paused);
        Assert.Equal(next[paused], consumer.Position(pausedPartition));
        delivered.AddRange(whilePaused);
        Assert.Equal(PerPartition, delivered.Count(r => r.Partition == other));

        consumer.Resume([pausedPartition]);
        delivered.AddRange(Consume.Exactly(consumer, PerPartition - (int)next[paused]));
        Assert.Empty(Consume.Drain(consumer, TimeSpan.FromSeconds(1)));

        // Every record of both partitions exactly once, in offset order per partition.
        for (int p = 0; p < 2; p++)
        {
            Assert.Equal(Enumerable.Range(0, PerPartition).Select(i => (long)i), delivered.Where(r => r.Partition == p).Select(r => r.Offset));
        }

        Assert.Equal(PerPartition, consumer.Position(pausedPartition));
    }

    [Fact]
    public void Assign_drops_the_records_fetched_for_the_previous_assignment()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("batch-assign", 1);
        ProducePerPartition(cluster, topic, 1);

        using var consumer = (KafkaConsumer)cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = Transactions.NewGroup("batch-assign") });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        var delivered = new List<Received>(Consume.Exactly(consumer, 1));
        FillBuffer(consumer, delivered);

        consumer.Assign([new TopicPartitionOffset(topic, 0, 10)]);
        Assert.Equal(0, consumer.Buffered);
        Assert.Equal(10, consumer.Position(new TopicPartition(topic, 0)));
        List<Received> again = Consume.Exactly(consumer, PerPartition - 10);
        Assert.Equal(Enumerable.Range(10, PerPartition - 10).Select(i => (long)i), again.Select(r => r.Offset));
    }

    [Fact]
    public void A_rebalance_with_records_fetched_delivers_nothing_of_a_partition_after_its_revocation()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("batch-rebalance", 4);
        string group = Transactions.NewGroup("batch-rebalance");
        ProducePerPartition(cluster, topic, 4);

        // What each consumer owns, as its callbacks tell it; a record of a partition it does not own is a violation.
        var ownedA = new HashSet<int>();
        var ownedB = new HashSet<int>();
        var violations = new List<string>();
        int revocationsA = 0;
        using var a = (KafkaConsumer)cluster.Transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = group,
            ClientId = "a",
            OnAssigned = ps => ownedA.UnionWith(ps.Select(p => p.Partition)),
            OnRevoked = ps =>
            {
                revocationsA++;
                ownedA.ExceptWith(ps.Select(p => p.Partition));
            },
            TransportProperties = FastGroup,
        });
        a.Subscribe([topic]);
        var delivered = new List<(string Owner, Received Record)>();
        void Take(string owner, IKappaConsumer consumer, HashSet<int> owned, TimeSpan wait)
        {
            if (consumer.TryConsume(wait, out ConsumedRecord record))
            {
                var received = Received.From(record);
                if (!owned.Contains(received.Partition))
                {
                    violations.Add($"{owner} got {received.Topic}-{received.Partition}@{received.Offset} while owning [{string.Join(", ", owned)}]");
                }

                delivered.Add((owner, received));
            }
        }

        long end = Environment.TickCount64 + (long)Consume.Deadline.TotalMilliseconds;
        while (delivered.Count < 2)
        {
            Assert.True(Environment.TickCount64 < end, "the first consumer got no records before the deadline");
            Take("a", a, ownedA, TimeSpan.FromMilliseconds(200));
        }

        while (a.Buffered == 0)
        {
            Assert.True(Environment.TickCount64 < end, "the first consumer never buffered fetched records");
            Thread.Sleep(200); // let the fetched records reach the consumer queue
            Take("a", a, ownedA, TimeSpan.Zero);
        }

        using var b = (KafkaConsumer)cluster.Transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = group,
            ClientId = "b",
            OnAssigned = ps => ownedB.UnionWith(ps.Select(p => p.Partition)),
            OnRevoked = ps => ownedB.ExceptWith(ps.Select(p => p.Partition)),
            TransportProperties = FastGroup,
        });
        b.Subscribe([topic]);

        // Only the newcomer polls for a while: the rebalance queues up behind the first consumer's fetched records.
        long joinUntil = Environment.TickCount64 + 2000;
        while (Environment.TickCount64 < joinUntil)
        {
            Take("b", b, ownedB, TimeSpan.FromMilliseconds(100));
        }

        // Both poll until every record was delivered to someone (records of moved partitions may come twice: no commits)
        // and the newcomer took a record of its own (it may get its partitions only after the first consumer delivered
        // everything; it reads them again from the start, as nothing was committed).
        end = Environment.TickCount64 + (long)Consume.Deadline.TotalMilliseconds;
        while (delivered.Select(d => (d.Record.Partition, d.Record.Offset)).Distinct().Count() < 4 * PerPartition || ownedB.Count == 0 || !delivered.Any(d => d.Owner == "b"))
        {
            Assert.True(Environment.TickCount64 < end, $"only {delivered.Select(d => (d.Record.Partition, d.Record.Offset)).Distinct().Count()} distinct records delivered, b owns {ownedB.Count} partitions and took {delivered.Count(d => d.Owner == "b")} records");
            Take("a", a, ownedA, TimeSpan.FromMilliseconds(50));
            Take("b", b, ownedB, TimeSpan.FromMilliseconds(50));
        }

        Assert.True(revocationsA > 0, "the first consumer's partitions were never revoked");
        Assert.Empty(violations);
        Assert.Empty(ownedA.Intersect(ownedB));
        Assert.Contains(delivered, d => d.Owner == "b");

    }

    /// <summary>Takes records (a zero timeout never waits) until the consumer holds a batch of fetched, undelivered records.</summary>
    private static void FillBuffer(KafkaConsumer consumer, List<Received> delivered)
    {
        long end = Environment.TickCount64 + (long)Consume.Deadline.TotalMilliseconds;
        while (consumer.Buffered <= 1)
        {
            Assert.True(Environment.TickCount64 < end, $"the consumer never buffered a batch of the {PerPartition} records per partition, it holds {consumer.Buffered}");
            Thread.Sleep(200); // let librdkafka's fetches reach the consumer queue
            if (consumer.TryConsume(TimeSpan.Zero, out ConsumedRecord record))
            {
                delivered.Add(Received.From(record));
            }
        }
    }

    private static void ProducePerPartition(TestCluster cluster, string topic, int partitions)
    {
        using IKappaProducer producer = cluster.Transport.CreateProducer(new ProducerSettings());
        for (int i = 0; i < PerPartition; i++)
        {
            for (int p = 0; p < partitions; p++)
            {
                Consume.Produce(producer, topic, "k" + i, $"{p}:{i}", partition: p);
            }
        }

        producer.Flush();
    }
}
