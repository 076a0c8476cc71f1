using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;
using static Kappa.Kafka.Tests.Infrastructure.Transactions;

namespace Kappa.Kafka.Tests;

/// <summary>
/// <see cref="IKappaConsumer.Position"/> on Kafka: the offset assigned before anything was read, and the partition's end
/// once the consumer reached it, past transaction markers and aborted records (which a read-committed consumer never
/// sees). State restores rely on it to know they are complete.
/// </summary>
public class PositionTests
{
    [Fact]
    public void Position_is_the_assigned_offset_before_reading_and_the_end_offset_after_a_transaction_ends_the_partition()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("position", 2);
        string group = NewGroup("position");
        using (ITransactionalProducer producer = cluster.Transport.CreateTransactionalProducer(new ProducerSettings(), TransactionalId(group, 0)))
        {
            producer.InitTransactions(TxTimeout);
            producer.BeginTransaction();
            for (int i = 0; i < 3; i++)
            {
                Consume.Produce(producer, topic, "k", "committed-" + i, partition: 0);
            }

            producer.CommitTransaction(TxTimeout);
            producer.BeginTransaction();
            Consume.Produce(producer, topic, "k", "aborted", partition: 0);
            producer.Flush();
            producer.AbortTransaction(TxTimeout);
        }

        // On a real cluster the high watermark counts two transaction markers and the aborted record.
        long end = cluster.Transport.GetWatermarks(new TopicPartition(topic, 0)).High;
        Assert.True(end >= 4, $"the partition should hold at least the 4 records written, its end offset is {end}");

        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = group, ReadCommitted = true });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 1), new TopicPartitionOffset(topic, 1, 0)]);
        Assert.Equal(1, consumer.Position(new TopicPartition(topic, 0)));
        Assert.Equal(0, consumer.Position(new TopicPartition(topic, 1)));

        // Read until the position reaches the end: it must get there (on a real cluster without any record at the end).
        var values = new List<string>();
        long deadline = Environment.TickCount64 + (long)Consume.Deadline.TotalMilliseconds;
        while (consumer.Position(new TopicPartition(topic, 0)) < end)
        {
            Assert.True(Environment.TickCount64 < deadline, $"the position stayed at {consumer.Position(new TopicPartition(topic, 0))}, below the end offset {end}");
            if (consumer.TryConsume(TimeSpan.FromMilliseconds(100), out ConsumedRecord record))
            {
                values.Add(System.Text.Encoding.UTF8.GetString(record.Value));
            }
        }

        Assert.Equal(end, consumer.Position(new TopicPartition(topic, 0)));
        Assert.Equal(["committed-1", "committed-2"], values.Take(2));
        if (!cluster.IsMock)
        {
            Assert.Equal(["committed-1", "committed-2"], values); // the mock does not hide aborted records
        }
    }
}
