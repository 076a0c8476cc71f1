using Kappa.Transport;

namespace Kappa.Kafka.Tests.Infrastructure;

/// <summary>Helpers for transaction tests: unique names, marker-terminated reads and group positions.</summary>
public static class Transactions
{
    public static readonly TimeSpan TxTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Settings of a fast-rebalancing consumer group member.</summary>
    public static ConsumerSettings Member(string group, bool readCommitted = true, string? clientId = null) => new()
    {
        GroupId = group,
        ClientId = clientId,
        ReadCommitted = readCommitted,
        TransportProperties = new Dictionary<string, string>
        {
            ["heartbeat.interval.ms"] = "200",
            ["session.timeout.ms"] = "6000",
        },
    };

    public static string NewGroup(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Kappa's transactional id for a group and an instance number: <c>{group}.{instance}</c>.</summary>
    public static string TransactionalId(string group, int instance) => $"{group}.{instance}";

    /// <summary>
    /// Reads all partitions of <paramref name="topic"/> from the beginning until every partition in
    /// <paramref name="markerPartitions"/> delivered a record with value <paramref name="marker"/>, and returns what came
    /// before the markers. A committed marker proves everything earlier in the partition has been decided (committed or
    /// aborted), so what a consumer sees up to it is final - no waiting for "nothing more arrives".
    /// </summary>
    public static List<Received> ReadUntilMarkers(
        KafkaTransport transport, string topic, int partitions, IReadOnlyCollection<int> markerPartitions, string marker, bool readCommitted)
    {
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = NewGroup("reader"),
            ReadCommitted = readCommitted,
        });
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, 0)).ToList());
        var records = new List<Received>();
        var seen = new HashSet<int>();
        long end = Environment.TickCount64 + (long)Consume.Deadline.TotalMilliseconds;
        while (!markerPartitions.All(seen.Contains))
        {
            if (Environment.TickCount64 > end)
            {
                Assert.Fail($"The markers of partitions {string.Join(",", markerPartitions.Except(seen))} of {topic} did not arrive; got {records.Count} records.");
            }

            if (consumer.TryConsume(TimeSpan.FromMilliseconds(200), out ConsumedRecord record))
            {
                var received = Received.From(record);
                if (received.ValueText == marker)
                {
                    Assert.True(seen.Add(received.Partition), $"two markers in partition {received.Partition}");
                }
                else
                {
                    Assert.False(seen.Contains(received.Partition), $"record '{received.ValueText}' after the marker of partition {received.Partition}");
                    records.Add(received);
                }
            }
        }

        return records;
    }

    /// <summary>Commits a transaction holding one marker record per partition.</summary>
    public static void CommitMarkers(ITransactionalProducer producer, string topic, int partitions, string marker)
    {
        producer.BeginTransaction();
        for (int p = 0; p < partitions; p++)
        {
            Consume.Produce(producer, topic, null, marker, partition: p);
        }

        producer.CommitTransaction(TxTimeout);
    }

    /// <summary>The group's committed position, read by a fresh member-less consumer of the group.</summary>
    public static long? CommittedPosition(KafkaTransport transport, string group, TopicPartition partition)
    {
        using IKappaConsumer reader = transport.CreateConsumer(new ConsumerSettings { GroupId = group });
        return reader.Committed(partition);
    }
}
