using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

/// <summary>
/// The zero-copy consumer's allocation budget (not timing): consuming a record, with its key, value, timestamp, topic and
/// headers read, allocates nothing on the consuming thread. Runs on the mock or a real cluster.
/// </summary>
public class ConsumerAllocationTests
{
    private const int PerRun = 4_000;
    private const int WarmUp = 1_000;

    [Fact]
    public void Consuming_a_record_with_headers_allocates_nothing_per_record()
    {
        using TestCluster cluster = TestCluster.Create(mockBrokers: 1);
        string topic = cluster.NewTopic("alloc", 1);
        var headers = new RecordHeadersWriter().Add("trace", "abc").Add("kind", "order");
        using (IKappaProducer producer = cluster.Transport.CreateProducer(new ProducerSettings()))
        {
            for (int i = 0; i < WarmUp + 3 * PerRun; i++)
            {
                Consume.Produce(producer, topic, "k" + i, new string('v', 100), headers: headers);
            }

            producer.Flush();
        }

        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = Transactions.NewGroup("alloc") });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        long checksum = ConsumeAndRead(consumer, WarmUp);

        // Least of up to three runs: a one-off runtime allocation on this thread (tiering, OSR) is not the consumer's,
        // an allocation per record shows in every run.
        long least = long.MaxValue;
        for (int run = 0; run < 3 && least > 0; run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            checksum += ConsumeAndRead(consumer, PerRun);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(least < PerRun, $"Consuming {PerRun} records allocated {least} B on the consuming thread (at least {24 * PerRun} B would be one object per record).");
        Assert.True(checksum > 0);
    }

    private static long ConsumeAndRead(IKappaConsumer consumer, int count)
    {
        long checksum = 0;
        for (int i = 0; i < count; i++)
        {
            if (!consumer.TryConsume(Consume.Deadline, out ConsumedRecord record))
            {
                throw new TimeoutException($"No record within {Consume.Deadline} after {i} of {count}.");
            }

            checksum += record.Key.Length + record.Value.Length + record.Headers.Count + record.Offset + (record.TimestampMs > 0 ? 1 : 0) + record.Topic.Length;
        }

        return checksum;
    }
}
