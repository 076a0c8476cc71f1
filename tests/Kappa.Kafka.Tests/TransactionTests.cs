using System.Globalization;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;
using static Kappa.Kafka.Tests.Infrastructure.Transactions;

namespace Kappa.Kafka.Tests;

/// <summary>
/// Kafka transactions through <see cref="ITransactionalProducer"/>. These run on the mock cluster, or on a real cluster
/// when KAPPA_KAFKA_BOOTSTRAP is set. Where the mock differs from Kafka (it delivers records of aborted transactions to
/// read_committed consumers), a test asserts Kafka's behaviour on a real cluster and the mock's documented behaviour on
/// the mock (see docs/kafka.md, "Transactions and exactly-once").
/// </summary>
public class TransactionTests
{
    [Fact]
    public void A_committed_transaction_makes_its_records_visible_and_commits_its_offsets_for_the_next_member()
    {
        using TestCluster cluster = TestCluster.Create();
        string input = cluster.NewTopic("tx-in", 1);
        string output = cluster.NewTopic("tx-out", 2);
        string group = NewGroup("tx-commit");
        ConsumerGroupTests.ProduceNumbered(cluster, input, 0, 10);

        using (IKappaConsumer consumer = cluster.Transport.CreateConsumer(Member(group)))
        using (ITransactionalProducer producer = cluster.Transport.CreateTransactionalProducer(new ProducerSettings(), TransactionalId(group, 0)))
        {
            consumer.Subscribe([input]);
            List<Received> read = Consume.Exactly(consumer, 6);
            producer.InitTransactions(TxTimeout);
            producer.BeginTransaction();
            foreach (Received record in read)
            {
                Consume.Produce(producer, output, record.KeyText, "out-" + record.ValueText);
            }

            producer.SendOffsetsToTransaction([new TopicPartitionOffset(input, 0, read[^1].Offset + 1)], consumer, TxTimeout);
            producer.CommitTransaction(TxTimeout);

            Assert.Equal(6, consumer.Committed(new TopicPartition(input, 0)));
            consumer.Close();

            CommitMarkers(producer, output, 2, "end");
        }

        List<Received> outputs = ReadUntilMarkers(cluster.Transport, output, 2, [0, 1], "end", readCommitted: true);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => "out-" + i.ToString(CultureInfo.InvariantCulture)).Order(), outputs.Select(r => r.ValueText!).Order());

        // A new member of the group resumes after the offsets the transaction committed.
        using IKappaConsumer next = cluster.Transport.CreateConsumer(Member(group));
        next.Subscribe([input]);
        Assert.Equal(["6", "7", "8", "9"], Consume.Exactly(next, 4).Select(r => r.ValueText));
        Assert.Equal(6, next.Committed(new TopicPartition(input, 0)));
    }

    [Fact]
    public void One_transaction_spans_several_topics_partitions_and_input_partitions()
    {
        using TestCluster cluster = TestCluster.Create();
        string input = cluster.NewTopic("tx-multi-in", 3);
        string left = cluster.NewTopic("tx-multi-left", 3);
        string right = cluster.NewTopic("tx-multi-right", 2);
        string group = NewGroup("tx-multi");
        for (int p = 0; p < 3; p++)
        {
            ConsumerGroupTests.ProduceNumbered(cluster, input, p * 100, 5, partition: p);
        }

        using (IKappaConsumer consumer = cluster.Transport.CreateConsumer(Member(group)))
        using (ITransactionalProducer producer = cluster.Transport.CreateTransactionalProducer(new ProducerSettings(), TransactionalId(group, 0)))
        {
            consumer.Subscribe([input]);
            List<Received> read = Consume.Exactly(consumer, 15);
            producer.InitTransactions(TxTimeout);
            producer.BeginTransaction();
            foreach (Received record in read)
            {
                Consume.Produce(producer, left, record.KeyText, "L" + record.ValueText, partition: record.Partition);
                Consume.Produce(producer, right, record.KeyText, "R" + record.ValueText, partition: record.Partition % 2);
            }

            // Positions of partitions 0 and 2 only: partition 1 stays uncommitted.
            producer.SendOffsetsToTransaction([new TopicPartitionOffset(input, 0, 5), new TopicPartitionOffset(input, 2, 3)], consumer, TxTimeout);
            producer.CommitTransaction(TxTimeout);

            Assert.Equal(5, consumer.Committed(new TopicPartition(input, 0)));
            Assert.Null(consumer.Committed(new TopicPartition(input, 1)));
            Assert.Equal(3, consumer.Committed(new TopicPartition(input, 2)));
            consumer.Close();
            CommitMarkers(producer, left, 3, "end");
            CommitMarkers(producer, right, 2, "end");
        }

        string[] values = Enumerable.Range(0, 3).SelectMany(p => Enumerable.Range(p * 100, 5)).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        List<Received> l = ReadUntilMarkers(cluster.Transport, left, 3, [0, 1, 2], "end", readCommitted: true);
        List<Received> r = ReadUntilMarkers(cluster.Transport, right, 2, [0, 1], "end", readCommitted: true);
        Assert.Equal(values.Select(v => "L" + v).Order(), l.Select(x => x.ValueText!).Order());
        Assert.Equal(values.Select(v => "R" + v).Order(), r.Select(x => x.ValueText!).Order());
        Assert.All(l, x => Assert.Equal(int.Parse(x.ValueText![1..], CultureInfo.InvariantCulture) / 100, x.Partition));

        // A new member resumes each partition from its committed position (partition 1 from the beginning).
        using IKappaConsumer next = cluster.Transport.CreateConsumer(Member(group));
        next.Subscribe([input]);
        List<Received> resumed = Consume.Exactly(next, 7);
        Assert.Equal(["100", "101", "102", "103", "104", "203", "204"], resumed.Select(x => x.ValueText!).Order());
    }

    [Fact]
    public void Offsets_sent_through_one_member_are_where_a_separate_consumer_of_the_group_resumes()
    {
        using TestCluster cluster = TestCluster.Create();
        string input = cluster.NewTopic("tx-resume-in", 2);
        string output = cluster.NewTopic("tx-resume-out", 1);
        string group = NewGroup("tx-resume");
        ConsumerGroupTests.ProduceNumbered(cluster, input, 0, 6, partition: 0);
        ConsumerGroupTests.ProduceNumbered(cluster, input, 10, 6, partition: 1);

        using (IKappaConsumer first = cluster.Transport.CreateConsumer(Member(group, clientId: "first")))
        using (ITransactionalProducer producer = cluster.Transport.CreateTransactionalProducer(new ProducerSettings(), TransactionalId(group, 1)))
        {
            first.Subscribe([input]);
            Consume.Exactly(first, 12);
            producer.InitTransactions(TxTimeout);
            producer.BeginTransaction();
            Consume.Produce(producer, output, null, "summary");
            producer.SendOffsetsToTransaction([new TopicPartitionOffset(input, 0, 2), new TopicPartitionOffset(input, 1, 5)], first, TxTimeout);
            producer.CommitTransaction(TxTimeout);
            first.Close();
        }

        // A separate consumer of the group (never a member together with the first) starts from the committed positions.
        using IKappaConsumer second = cluster.Transport.CreateConsumer(Member(group, clientId: "second"));
        Assert.Equal(2, second.Committed(new TopicPartition(input, 0)));
        Assert.Equal(5, second.Committed(new TopicPartition(input, 1)));
        second.Subscribe([input]);
        List<Received> resumed = Consume.Exactly(second, 5);
        Assert.Equal(["15", "2", "3", "4", "5"], resumed.Select(r => r.ValueText!).Order(StringComparer.Ordinal));
    }
}
