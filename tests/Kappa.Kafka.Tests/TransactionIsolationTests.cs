using System.Globalization;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;
using static Kappa.Kafka.Tests.Infrastructure.Transactions;

namespace Kappa.Kafka.Tests;

/// <summary>
/// Aborts, fencing and isolation levels of Kafka transactions (split from <see cref="TransactionTests"/> so the two
/// classes run in parallel). These run on the mock cluster, or on a real cluster
/// when KAPPA_KAFKA_BOOTSTRAP is set. Where the mock differs from Kafka (it delivers records of aborted transactions to
/// read_committed consumers), a test asserts Kafka's behaviour on a real cluster and the mock's documented behaviour on
/// the mock (see docs/kafka.md, "Transactions and exactly-once").
/// </summary>
public class TransactionIsolationTests
{
    [Fact]
    public void An_aborted_transaction_commits_no_offsets_so_a_restart_reads_again_from_the_previous_position()
    {
        using TestCluster cluster = TestCluster.Create();
        string input = cluster.NewTopic("tx-abort-in", 1);
        string output = cluster.NewTopic("tx-abort-out", 1);
        string group = NewGroup("tx-abort");
        ConsumerGroupTests.ProduceNumbered(cluster, input, 0, 10);

        using (IKappaConsumer consumer = cluster.Transport.CreateConsumer(Member(group)))
        using (ITransactionalProducer producer = cluster.Transport.CreateTransactionalProducer(new ProducerSettings(), TransactionalId(group, 0)))
        {
            consumer.Subscribe([input]);
            producer.InitTransactions(TxTimeout);
            ProcessAndCommit(producer, consumer, input, output, Consume.Exactly(consumer, 4));
            Assert.Equal(4, consumer.Committed(new TopicPartition(input, 0)));

            List<Received> rest = Consume.Exactly(consumer, 6);
            producer.BeginTransaction();
            foreach (Received record in rest)
            {
                Consume.Produce(producer, output, record.KeyText, "aborted-" + record.ValueText);
            }

            // Flush inside a transaction returns once the records are written (uncommitted) to the partition.
            producer.Flush();
            Assert.True(cluster.Transport.GetWatermarks(new TopicPartition(output, 0)).High >= 10, "flushed records of the open transaction are in the log");
            producer.SendOffsetsToTransaction([new TopicPartitionOffset(input, 0, 10)], consumer, TxTimeout);
            producer.AbortTransaction(TxTimeout);

            Assert.Equal(4, consumer.Committed(new TopicPartition(input, 0)));
            consumer.Close();
            CommitMarkers(producer, output, 1, "end");
        }

        Assert.Equal(4, CommittedPosition(cluster.Transport, group, new TopicPartition(input, 0)));

        // The restarted member reads the records of the aborted transaction again.
        using (IKappaConsumer restarted = cluster.Transport.CreateConsumer(Member(group)))
        {
            restarted.Subscribe([input]);
            Assert.Equal(["4", "5", "6", "7", "8", "9"], Consume.Exactly(restarted, 6).Select(r => r.ValueText));
        }

        string[] committed = ["out-0", "out-1", "out-2", "out-3"];
        string[] aborted = ["aborted-4", "aborted-5", "aborted-6", "aborted-7", "aborted-8", "aborted-9"];
        List<Received> uncommittedView = ReadUntilMarkers(cluster.Transport, output, 1, [0], "end", readCommitted: false);
        Assert.Equal(committed.Concat(aborted), uncommittedView.Select(r => r.ValueText));

        List<Received> committedView = ReadUntilMarkers(cluster.Transport, output, 1, [0], "end", readCommitted: true);
        if (cluster.IsMock)
        {
            // The mock does not filter aborted transactions (docs/kafka.md): read_committed sees what read_uncommitted sees.
            Assert.Equal(committed.Concat(aborted), committedView.Select(r => r.ValueText));
        }
        else
        {
            Assert.Equal(committed, committedView.Select(r => r.ValueText));
        }
    }

    [Fact]
    public void A_second_producer_with_the_same_transactional_id_fences_the_first()
    {
        using TestCluster cluster = TestCluster.Create();
        string input = cluster.NewTopic("tx-fence-in", 1);
        string output = cluster.NewTopic("tx-fence-out", 1);
        string group = NewGroup("tx-fence");
        ConsumerGroupTests.ProduceNumbered(cluster, input, 0, 4);
        string id = TransactionalId(group, 0);

        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(Member(group));
        consumer.Subscribe([input]);
        List<Received> read = Consume.Exactly(consumer, 4);

        using ITransactionalProducer zombie = cluster.Transport.CreateTransactionalProducer(new ProducerSettings { ClientId = "zombie" }, id);
        zombie.InitTransactions(TxTimeout);
        zombie.BeginTransaction();
        Consume.Produce(zombie, output, "k", "zombie-1");
        zombie.Flush();

        using ITransactionalProducer successor = cluster.Transport.CreateTransactionalProducer(new ProducerSettings { ClientId = "successor" }, id);
        successor.InitTransactions(TxTimeout);

        if (cluster.IsMock)
        {
            // The mock gives the successor a new producer id and keeps the zombie's valid: it fences nobody
            // (docs/kafka.md). Fencing errors themselves are injected in TransactionFaultTests.
            Consume.Produce(zombie, output, "k", "zombie-2");
            zombie.CommitTransaction(TxTimeout);
        }
        else
        {
            var fenced = Assert.Throws<KappaFencedException>(() =>
            {
                // The zombie learns of the newer epoch on its next request to the cluster.
                Consume.Produce(zombie, output, "k", "zombie-2");
                zombie.SendOffsetsToTransaction([new TopicPartitionOffset(input, 0, 4)], consumer, TxTimeout);
                zombie.CommitTransaction(TxTimeout);
            });
            Assert.Contains(id, fenced.Message, StringComparison.Ordinal);
            Assert.Contains("fenced", fenced.Message, StringComparison.OrdinalIgnoreCase);

            // Fencing sticks: every further call says so.
            Assert.Throws<KappaFencedException>(() => zombie.BeginTransaction());
            Assert.Throws<KappaFencedException>(() => zombie.AbortTransaction(TxTimeout));
            Assert.Null(consumer.Committed(new TopicPartition(input, 0)));
        }

        successor.BeginTransaction();
        Consume.Produce(successor, output, "k", "successor");
        successor.SendOffsetsToTransaction([new TopicPartitionOffset(input, 0, read[^1].Offset + 1)], consumer, TxTimeout);
        successor.CommitTransaction(TxTimeout);
        Assert.Equal(4, consumer.Committed(new TopicPartition(input, 0)));
        CommitMarkers(successor, output, 1, "end");

        List<string?> visible = ReadUntilMarkers(cluster.Transport, output, 1, [0], "end", readCommitted: true).Select(r => r.ValueText).ToList();
        // On Kafka the successor's InitTransactions aborted the zombie's open transaction; the mock committed it.
        Assert.Equal(cluster.IsMock ? ["zombie-1", "zombie-2", "successor"] : ["successor"], visible);
    }

    [Fact]
    public void Read_uncommitted_and_read_committed_consumers_both_see_committed_transactions()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string output = cluster.NewTopic("tx-iso", 1);
        using (ITransactionalProducer producer = cluster.Transport.CreateTransactionalProducer(new ProducerSettings(), TransactionalId(NewGroup("tx-iso"), 0)))
        {
            producer.InitTransactions(TxTimeout);
            producer.BeginTransaction();
            Consume.Produce(producer, output, "a", "1");
            Consume.Produce(producer, output, "b", "2");
            producer.CommitTransaction(TxTimeout);
            CommitMarkers(producer, output, 1, "end");
        }

        Assert.Equal(["1", "2"], ReadUntilMarkers(cluster.Transport, output, 1, [0], "end", readCommitted: true).Select(r => r.ValueText));
        Assert.Equal(["1", "2"], ReadUntilMarkers(cluster.Transport, output, 1, [0], "end", readCommitted: false).Select(r => r.ValueText));
    }

    private static void ProcessAndCommit(ITransactionalProducer producer, IKappaConsumer consumer, string input, string output, List<Received> records)
    {
        producer.BeginTransaction();
        foreach (Received record in records)
        {
            Consume.Produce(producer, output, record.KeyText, "out-" + record.ValueText);
        }

        producer.SendOffsetsToTransaction([new TopicPartitionOffset(input, records[^1].Partition, records[^1].Offset + 1)], consumer, TxTimeout);
        producer.CommitTransaction(TxTimeout);
    }
}
