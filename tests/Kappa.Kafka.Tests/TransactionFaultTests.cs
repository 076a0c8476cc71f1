using Kappa.Kafka.Testing;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;
using static Kappa.Kafka.Tests.Infrastructure.Transactions;

namespace Kappa.Kafka.Tests;

/// <summary>
/// Errors injected into the transactional protocol through the mock cluster (always on the mock: a real cluster cannot be
/// told to fail). Whatever fails, offsets are never committed without the transaction's records.
/// </summary>
public class TransactionFaultTests
{
    private const short Produce = 0;
    private const short InitProducerId = 22;
    private const short AddPartitionsToTxn = 24;
    private const short AddOffsetsToTxn = 25;
    private const short EndTxn = 26;
    private const short TxnOffsetCommit = 28;

    private const int CoordinatorLoadInProgress = 14;
    private const int IllegalGeneration = 22;
    private const int UnknownMemberId = 25;
    private const int CoordinatorNotAvailable = 15;
    private const int NotCoordinator = 16;
    private const int TopicAuthorizationFailed = 29;
    private const int GroupAuthorizationFailed = 30;
    private const int InvalidProducerEpoch = 47;
    private const int ConcurrentTransactions = 51;
    private const int TransactionalIdAuthorizationFailed = 53;
    private const int ProducerFenced = 90;

    [Fact]
    public void Retriable_coordinator_errors_during_init_and_commit_are_retried_and_the_transaction_commits()
    {
        using var setup = new Setup();
        setup.Mock.PushRequestErrors(InitProducerId, CoordinatorNotAvailable, ConcurrentTransactions);
        setup.Producer.InitTransactions(TxTimeout);

        setup.Mock.PushRequestErrors(AddOffsetsToTxn, CoordinatorLoadInProgress, ConcurrentTransactions);
        setup.Mock.PushRequestErrors(TxnOffsetCommit, CoordinatorNotAvailable);
        setup.Mock.PushRequestErrors(EndTxn, ConcurrentTransactions, CoordinatorNotAvailable, NotCoordinator);
        setup.Transaction(["a", "b", "c"], offset: 3);
        setup.Producer.CommitTransaction(TxTimeout);

        Assert.Equal(3, setup.Committed());
        setup.CommitMarker();
        Assert.Equal(["a", "b", "c"], setup.Outputs());
    }

    [Fact]
    public void A_commit_waits_for_the_transaction_coordinator_to_come_back_and_then_commits()
    {
        using var mock = new MockKafkaCluster(3);
        using var transport = new KafkaTransport(mock.TransportOptions());
        mock.CreateTopic("coord-in", 1);
        mock.CreateTopic("coord-out", 1);
        mock.SetPartitionLeader("coord-in", 0, 1);
        mock.SetPartitionLeader("coord-out", 0, 1);
        string group = NewGroup("coord");
        string id = Transactions.TransactionalId(group, 0);
        mock.SetCoordinator("transaction", id, 2);
        mock.SetCoordinator("group", group, 3);
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = group });
        consumer.Assign([new TopicPartitionOffset("coord-in", 0, 0)]);
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), id);
        producer.InitTransactions(TxTimeout);
        producer.BeginTransaction();
        Consume.Produce(producer, "coord-out", "k", "v");
        producer.SendOffsetsToTransaction([new TopicPartitionOffset("coord-in", 0, 5)], consumer, TxTimeout);

        mock.BrokerDown(2);
        var back = new Thread(() =>
        {
            Thread.Sleep(1500);
            mock.BrokerUp(2);
        });
        back.Start();
        try
        {
            // Blocks (retrying) while the coordinator is down; nothing is committed before it answers.
            producer.CommitTransaction(TxTimeout);
        }
        finally
        {
            back.Join();
        }

        Assert.Equal(5, consumer.Committed(new TopicPartition("coord-in", 0)));
        // The one record and the transaction's commit marker (librdkafka's mock writes control records since 2.x, as Kafka
        // does); the marker is never delivered.
        Assert.Equal(new WatermarkOffsets(0, 2), transport.GetWatermarks(new TopicPartition("coord-out", 0)));
        using IKappaConsumer reader = transport.CreateConsumer(new ConsumerSettings { GroupId = NewGroup("coord-reader") });
        reader.Assign([new TopicPartitionOffset("coord-out", 0, 0)]);
        Assert.Equal("v", Assert.Single(Consume.Exactly(reader, 1)).ValueText);
        Assert.Empty(Consume.Drain(reader, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(AddOffsetsToTxn, GroupAuthorizationFailed)]
    [InlineData(TxnOffsetCommit, GroupAuthorizationFailed)]
    [InlineData(TxnOffsetCommit, IllegalGeneration)] // KIP-447: the member was rebalanced away since it read the inputs
    [InlineData(TxnOffsetCommit, UnknownMemberId)]
    public void An_abortable_error_sending_offsets_leaves_no_offsets_and_the_retried_transaction_commits(short apiKey, int error)
    {
        using var setup = new Setup();
        setup.Producer.InitTransactions(TxTimeout);
        setup.Mock.PushRequestErrors(apiKey, error);

        var ex = Assert.Throws<KappaTransportException>(() => setup.Transaction(["lost"], offset: 1));
        Assert.IsNotType<KappaFencedException>(ex);
        Assert.Contains(setup.TransactionalId, ex.Message, StringComparison.Ordinal);
        Assert.Contains("send offsets", ex.Message, StringComparison.Ordinal);
        Assert.Contains("must be aborted", ex.Message, StringComparison.Ordinal);

        // The failed transaction cannot be committed, only aborted.
        var commit = Assert.Throws<KappaTransportException>(() => setup.Producer.CommitTransaction(TxTimeout));
        Assert.Contains("must be aborted", commit.Message, StringComparison.Ordinal);
        Assert.Throws<KappaTransportException>(() => setup.Producer.BeginTransaction());
        setup.Producer.AbortTransaction(TxTimeout);
        Assert.Null(setup.Committed());

        setup.Transaction(["kept"], offset: 1);
        setup.Producer.CommitTransaction(TxTimeout);
        Assert.Equal(1, setup.Committed());
        setup.CommitMarker();
        // The mock keeps aborted records visible (docs/kafka.md); the retried transaction's record follows.
        Assert.Equal("kept", setup.Outputs()[^1]);
    }

    [Theory]
    [InlineData(Produce, TopicAuthorizationFailed)]
    [InlineData(AddPartitionsToTxn, TopicAuthorizationFailed)]
    public void A_record_that_cannot_be_delivered_prevents_the_commit_and_its_offsets(short apiKey, int error)
    {
        using var setup = new Setup();
        setup.Producer.InitTransactions(TxTimeout);
        setup.Mock.PushRequestErrors(apiKey, error);

        // Whether the failure shows at send-offsets or at commit, nothing is committed.
        var ex = Assert.Throws<KappaTransportException>(() =>
        {
            setup.Transaction(["undeliverable"], offset: 1);
            setup.Producer.CommitTransaction(TxTimeout);
        });
        Assert.IsNotType<KappaFencedException>(ex);
        Assert.Contains("must be aborted", ex.Message, StringComparison.Ordinal);
        // The cause is named either as Confluent's error code (TopicAuthorizationFailed) or, when librdkafka reports the
        // transaction's abortable state first, in its own words (Broker: Topic authorization failed): which one depends on
        // whether the delivery report or the transactional call sees the failure first.
        Assert.True(ex.Message.Replace(" ", "", StringComparison.Ordinal).Contains("TopicAuthorizationFailed", StringComparison.OrdinalIgnoreCase), ex.Message);
        Assert.Null(setup.Committed());

        setup.Producer.AbortTransaction(TxTimeout);
        Assert.Null(setup.Committed());

        // librdkafka remembers a topic's authorization error until its next metadata refresh: like a processor, retry
        // (abort, begin again) until the transaction commits. No attempt may leave offsets behind.
        long end = Environment.TickCount64 + (long)Consume.Deadline.TotalMilliseconds;
        while (true)
        {
            try
            {
                setup.Transaction(["delivered"], offset: 1);
                setup.Producer.CommitTransaction(TxTimeout);
                break;
            }
            catch (KappaTransportException retry) when (retry is not KappaFencedException && Environment.TickCount64 < end)
            {
                Assert.Contains("must be aborted", retry.Message, StringComparison.Ordinal);
                setup.Producer.AbortTransaction(TxTimeout);
                Assert.Null(setup.Committed());
                Thread.Sleep(200);
            }
        }

        Assert.Equal(1, setup.Committed());
    }

    [Theory]
    [InlineData(EndTxn, ProducerFenced)]
    [InlineData(EndTxn, InvalidProducerEpoch)]
    [InlineData(AddOffsetsToTxn, ProducerFenced)]
    [InlineData(TxnOffsetCommit, ProducerFenced)]
    [InlineData(AddPartitionsToTxn, InvalidProducerEpoch)]
    public void Fencing_errors_become_KappaFencedException_and_commit_nothing(short apiKey, int error)
    {
        using var setup = new Setup();
        setup.Producer.InitTransactions(TxTimeout);
        setup.Mock.PushRequestErrors(apiKey, error);

        var fenced = Assert.Throws<KappaFencedException>(() =>
        {
            setup.Transaction(["zombie"], offset: 1);
            setup.Producer.CommitTransaction(TxTimeout);
        });
        Assert.Contains(setup.TransactionalId, fenced.Message, StringComparison.Ordinal);
        Assert.Contains("fenced", fenced.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(setup.Committed());

        // Fencing sticks.
        Assert.Throws<KappaFencedException>(() => setup.Producer.BeginTransaction());
        Assert.Throws<KappaFencedException>(() => setup.Producer.AbortTransaction(TxTimeout));
        Assert.Throws<KappaFencedException>(() => setup.Producer.CommitTransaction(TxTimeout));
        Assert.Null(setup.Committed());
    }

    [Fact]
    public void A_fatal_authorization_error_at_commit_is_reported_and_commits_nothing()
    {
        using var setup = new Setup();
        setup.Producer.InitTransactions(TxTimeout);
        setup.Mock.PushRequestErrors(EndTxn, TransactionalIdAuthorizationFailed);
        setup.Transaction(["x"], offset: 1);

        var ex = Assert.Throws<KappaTransportException>(() => setup.Producer.CommitTransaction(TxTimeout));
        Assert.IsNotType<KappaFencedException>(ex);
        Assert.Contains(setup.TransactionalId, ex.Message, StringComparison.Ordinal);
        Assert.Contains("commit the transaction", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TransactionalIdAuthorizationFailed", ex.Message, StringComparison.Ordinal);
        Assert.Null(setup.Committed());
    }

    [Fact]
    public void A_failing_InitTransactions_names_the_transactional_id_and_the_operation()
    {
        using var setup = new Setup();
        setup.Mock.PushRequestErrors(InitProducerId, TransactionalIdAuthorizationFailed);
        var ex = Assert.Throws<KappaTransportException>(() => setup.Producer.InitTransactions(TxTimeout));
        Assert.Contains(setup.TransactionalId, ex.Message, StringComparison.Ordinal);
        Assert.Contains("initialize transactions", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TransactionalIdAuthorizationFailed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aborting_discards_unflushed_records_and_the_next_transaction_commits()
    {
        using var setup = new Setup();
        setup.Producer.InitTransactions(TxTimeout);
        setup.Producer.BeginTransaction();
        for (int i = 0; i < 500; i++)
        {
            Consume.Produce(setup.Producer, setup.Output, "k", "discarded");
        }

        setup.Producer.AbortTransaction(TxTimeout);
        setup.Producer.Flush();
        setup.Transaction(["after"], offset: 1);
        setup.Producer.CommitTransaction(TxTimeout);
        Assert.Equal(1, setup.Committed());
    }

    [Fact]
    public void Misuse_is_reported_clearly()
    {
        using var mock = new MockKafkaCluster(1);
        using var transport = new KafkaTransport(mock.TransportOptions());
        mock.CreateTopic("misuse", 1);

        Assert.Throws<ArgumentException>(() => transport.CreateTransactionalProducer(new ProducerSettings(), " "));
        var idempotence = Assert.Throws<KappaTransportException>(() => transport.CreateTransactionalProducer(
            new ProducerSettings { TransportProperties = new Dictionary<string, string> { ["enable.idempotence"] = "false" } }, "g.0"));
        Assert.Contains("enable.idempotence", idempotence.Message, StringComparison.Ordinal);
        var otherId = Assert.Throws<KappaTransportException>(() => transport.CreateTransactionalProducer(
            new ProducerSettings { TransportProperties = new Dictionary<string, string> { ["transactional.id"] = "other" } }, "g.0"));
        Assert.Contains("'other'", otherId.Message, StringComparison.Ordinal);

        var isolation = Assert.Throws<ArgumentException>(() => transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = "misuse",
            TransportProperties = new Dictionary<string, string> { ["isolation.level"] = "read_uncommitted" },
        }));
        Assert.Contains("ReadCommitted", isolation.Message, StringComparison.Ordinal);

        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "misuse.0");
        var early = Assert.Throws<InvalidOperationException>(() => producer.BeginTransaction());
        Assert.Contains("InitTransactions", early.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Consume.Produce(producer, "misuse", "k", "v"));

        producer.InitTransactions(TxTimeout);
        Assert.Throws<InvalidOperationException>(() => producer.InitTransactions(TxTimeout));
        var outside = Assert.Throws<InvalidOperationException>(() => Consume.Produce(producer, "misuse", "k", "v"));
        Assert.Contains("BeginTransaction", outside.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => producer.CommitTransaction(TxTimeout));
        Assert.Throws<InvalidOperationException>(() => producer.AbortTransaction(TxTimeout));

        producer.BeginTransaction();
        Assert.Throws<InvalidOperationException>(() => producer.BeginTransaction());
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "misuse" });
        var negative = Assert.Throws<ArgumentException>(() => producer.SendOffsetsToTransaction([new TopicPartitionOffset("misuse", 0, -1)], consumer, TxTimeout));
        Assert.Contains("misuse-0@-1", negative.Message, StringComparison.Ordinal);
        using var embedded = new ForeignConsumer();
        Assert.Throws<ArgumentException>(() => producer.SendOffsetsToTransaction([new TopicPartitionOffset("misuse", 0, 1)], embedded, TxTimeout));
        producer.AbortTransaction(TxTimeout);
    }

    /// <summary>A mock cluster with one input and one output topic, a consumer assigned to the input and a transactional producer.</summary>
    private sealed class Setup : IDisposable
    {
        internal Setup()
        {
            Mock = new MockKafkaCluster(1);
            Transport = new KafkaTransport(Mock.TransportOptions());
            Mock.CreateTopic(Input, 1);
            Mock.CreateTopic(Output, 1);
            Group = NewGroup("txf");
            TransactionalId = Transactions.TransactionalId(Group, 0);
            Consumer = Transport.CreateConsumer(new ConsumerSettings { GroupId = Group });
            Consumer.Assign([new TopicPartitionOffset(Input, 0, 0)]);
            // Short metadata refreshes: librdkafka keeps a topic's permanent produce error until the next one.
            Producer = Transport.CreateTransactionalProducer(
                new ProducerSettings { TransportProperties = new Dictionary<string, string> { ["topic.metadata.refresh.interval.ms"] = "500" } },
                TransactionalId);
        }

        internal MockKafkaCluster Mock { get; }

        internal KafkaTransport Transport { get; }

        internal string Input => "in";

        internal string Output => "out";

        internal string Group { get; }

        internal string TransactionalId { get; }

        internal IKappaConsumer Consumer { get; }

        internal ITransactionalProducer Producer { get; }

        /// <summary>Begins a transaction, produces the values and sends the input position <paramref name="offset"/>.</summary>
        internal void Transaction(string[] values, long offset)
        {
            Producer.BeginTransaction();
            foreach (string value in values)
            {
                Consume.Produce(Producer, Output, "k", value);
            }

            Producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, offset)], Consumer, TxTimeout);
        }

        internal long? Committed() => Consumer.Committed(new TopicPartition(Input, 0));

        internal void CommitMarker() => CommitMarkers(Producer, Output, 1, "end");

        internal List<string?> Outputs() =>
            ReadUntilMarkers(Transport, Output, 1, [0], "end", readCommitted: true).Select(r => r.ValueText).ToList();

        public void Dispose()
        {
            Producer.Dispose();
            Consumer.Dispose();
            Transport.Dispose();
            Mock.Dispose();
        }
    }

    /// <summary>A consumer of another transport.</summary>
    private sealed class ForeignConsumer : IKappaConsumer
    {
        public IReadOnlyList<TopicPartition> Assignment => [];

        public void Subscribe(IReadOnlyCollection<string> topics) => throw new NotSupportedException();

        public void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions) => throw new NotSupportedException();

        public bool TryConsume(TimeSpan timeout, out ConsumedRecord record) => throw new NotSupportedException();

        public void Commit(IReadOnlyList<TopicPartitionOffset> offsets) => throw new NotSupportedException();

        public long? Committed(TopicPartition partition) => throw new NotSupportedException();

        public void Close()
        {
        }

        public void Dispose()
        {
        }
    }
}
