using System.Diagnostics;
using Kappa.Kafka.Testing;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

/// <summary>
/// FetchedAhead (what librdkafka has fetched for a consumer and the consumer has not delivered), which the Kafka
/// benchmarks wait on to measure with the topic already fetched: the transport's consumer and the raw Confluent
/// baseline must count the same way.
/// </summary>
public class FetchedAheadTests
{
    private const int Records = 60;

    /// <summary>Besides the records, librdkafka's consumer queue holds a few events (partition EOF, fetch control ops).</summary>
    private const int MaxEvents = 3;

    /// <summary>Ten records delivered: the ten are gone, and so may be events librdkafka served on the way, but no more.</summary>
    private static void AssertTenFewer(long before, long after) => Assert.InRange(after, Records - 10, before - 10);

    [Fact]
    public void Transport_consumer_counts_the_fetched_records_and_one_less_per_delivered_record()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("fetched-ahead", 1);
        Produce(cluster, topic);

        using var consumer = (KafkaConsumer)cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = Transactions.NewGroup("fetched-ahead") });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        long fetched = WaitUntilSettled(() => consumer.FetchedAhead);
        Assert.InRange(fetched, Records, Records + MaxEvents);

        List<Received> delivered = Consume.Exactly(consumer, 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), delivered.Select(r => r.Offset));
        AssertTenFewer(fetched, consumer.FetchedAhead);
    }

    [Fact]
    public void Raw_confluent_consumer_counts_the_fetched_records_and_one_less_per_delivered_record()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("fetched-ahead-raw", 1);
        Produce(cluster, topic);

        var config = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = cluster.Bootstrap,
            ["group.id"] = Transactions.NewGroup("fetched-ahead-raw"),
            ["enable.auto.commit"] = "false",
            ["enable.partition.eof"] = "false",
        };
        using var consumer = new RawConfluentConsumer(config, [new TopicPartitionOffset(topic, 0, 0)]);
        long fetched = WaitUntilSettled(() => consumer.FetchedAhead);
        Assert.InRange(fetched, Records, Records + MaxEvents);

        consumer.ConsumeChecksum(10, TimeSpan.FromSeconds(10));
        AssertTenFewer(fetched, consumer.FetchedAhead);
    }

    /// <summary>Waits until the count has reached <see cref="Records"/> and stays the same for a while.</summary>
    private static long WaitUntilSettled(Func<long> fetchedAhead)
    {
        var waited = Stopwatch.StartNew();
        long last = -1;
        int unchanged = 0;
        while (waited.Elapsed < Consume.Deadline)
        {
            long now = fetchedAhead();
            unchanged = now >= Records && now == last ? unchanged + 1 : 0;
            if (unchanged >= 3)
            {
                return now;
            }

            last = now;
            Thread.Sleep(100);
        }

        throw new TimeoutException($"FetchedAhead stayed at {last}, below {Records} or still changing, for {Consume.Deadline}.");
    }

    private static void Produce(TestCluster cluster, string topic)
    {
        using IKappaProducer producer = cluster.Transport.CreateProducer(new ProducerSettings());
        for (int i = 0; i < Records; i++)
        {
            Consume.Produce(producer, topic, "k" + i, "v" + i, partition: 0);
        }

        producer.Flush();
    }
}
