using Kappa.Kafka.Testing;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;
using static Kappa.Kafka.Tests.Infrastructure.Transactions;

namespace Kappa.Kafka.Tests;

/// <summary>
/// What librdkafka 2.16's mock cluster does with transactions, pinned so docs/kafka.md ("Limits of the mock") stays true
/// and a librdkafka upgrade that changes it fails here: it writes commit/abort markers, but read_committed consumers
/// still get aborted records, and offsets sent to a transaction are not stored. Mock only, by design.
/// </summary>
public class MockTransactionLimitsTests
{
    [Fact]
    public void The_mock_writes_abort_markers_but_read_committed_still_receives_aborted_records()
    {
        using var mock = new MockKafkaCluster(1);
        using var transport = new KafkaTransport(mock.TransportOptions());
        mock.CreateTopic("limits-abort", 1);
        using (ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), NewGroup("limits-abort")))
        {
            producer.InitTransactions(TxTimeout);
            producer.BeginTransaction();
            Consume.Produce(producer, "limits-abort", "k", "aborted");
            producer.Flush();
            producer.AbortTransaction(TxTimeout);
        }

        // One record and one abort marker: the marker is in the log.
        Assert.Equal(new WatermarkOffsets(0, 2), transport.GetWatermarks(new TopicPartition("limits-abort", 0)));
        using IKappaConsumer reader = transport.CreateConsumer(Member(NewGroup("limits-abort-reader"), readCommitted: true));
        reader.Assign([new TopicPartitionOffset("limits-abort", 0, 0)]);
        // A real broker would deliver nothing to a read_committed consumer here.
        Assert.Equal("aborted", Assert.Single(Consume.Exactly(reader, 1)).ValueText);
        Assert.Empty(Consume.Drain(reader, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void The_mock_does_not_store_offsets_sent_to_a_committed_transaction()
    {
        using var mock = new MockKafkaCluster(1);
        // The mock's own behaviour, without Kappa's EmulateTransactionalOffsetCommit.
        var options = new KafkaTransportOptions { BootstrapServers = mock.Bootstrap, TopicCreator = spec => mock.CreateTopic(spec.Name, spec.Partitions) };
        using var transport = new KafkaTransport(options);
        mock.CreateTopic("limits-in", 1);
        mock.CreateTopic("limits-out", 1);
        string group = NewGroup("limits-offsets");
        using IKappaConsumer consumer = transport.CreateConsumer(Member(group));
        consumer.Assign([new TopicPartitionOffset("limits-in", 0, 0)]);
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), TransactionalId(group, 0));
        producer.InitTransactions(TxTimeout);
        producer.BeginTransaction();
        Consume.Produce(producer, "limits-out", "k", "v");
        producer.SendOffsetsToTransaction([new TopicPartitionOffset("limits-in", 0, 3)], consumer, TxTimeout);
        producer.CommitTransaction(TxTimeout);

        // The transaction committed (its record and marker are in the log) but the group has no position.
        Assert.Equal(new WatermarkOffsets(0, 2), transport.GetWatermarks(new TopicPartition("limits-out", 0)));
        Assert.Null(consumer.Committed(new TopicPartition("limits-in", 0)));
        // A plain commit is stored.
        consumer.Commit([new TopicPartitionOffset("limits-in", 0, 3)]);
        Assert.Equal(3, consumer.Committed(new TopicPartition("limits-in", 0)));
    }
}
