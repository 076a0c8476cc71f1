using System.Collections.Concurrent;
using Kappa.Kafka.Testing;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;
using static Kappa.Kafka.Tests.Infrastructure.Transactions;

namespace Kappa.Kafka.Tests;

/// <summary>
/// librdkafka 2.16 drops ("decommissions") a broker that is missing from a Metadata response, as a broker that is down
/// is (on Kafka and on the mock), and creates it again only from a later Metadata response. A coordinator request to the
/// group coordinator it still has cached then waits for the dropped broker forever, past its timeout (librdkafka issues
/// #5511 and #5456): SendOffsetsToTransaction never returns, and the client cannot even be destroyed. The transport must
/// not hang with it (docs/kafka.md, "Broker outages").
/// </summary>
public class DroppedBrokerTests
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void Sending_offsets_to_a_group_coordinator_librdkafka_dropped_during_an_outage_replaces_the_stuck_client_and_the_retried_transaction_commits()
    {
        var log = new ConcurrentQueue<string>();
        using var mock = new MockKafkaCluster(3);
        KafkaTransportOptions mockOptions = mock.TransportOptions();
        using var transport = new KafkaTransport(new KafkaTransportOptions
        {
            BootstrapServers = mockOptions.BootstrapServers,
            TopicCreator = mockOptions.TopicCreator,
            EmulateTransactionalOffsetCommit = mockOptions.EmulateTransactionalOffsetCommit,
            Log = line =>
            {
                if (log.Count < 200_000)
                {
                    log.Enqueue(line);
                }
            },
        });
        mock.CreateTopic("stuck-in", 1);
        mock.CreateTopic("stuck-out", 1);
        mock.SetPartitionLeader("stuck-in", 0, 1);
        mock.SetPartitionLeader("stuck-out", 0, 1);
        string group = NewGroup("stuck");
        string id = TransactionalId(group, 0);
        mock.SetCoordinator("group", group, 2);
        mock.SetCoordinator("transaction", id, 3);
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = group });
        consumer.Assign([new TopicPartitionOffset("stuck-in", 0, 0)]);
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(
            new ProducerSettings
            {
                ClientId = "stuck-producer",
                // Metadata refreshes while broker 2 is down (so librdkafka drops it), and broker debug lines to see it.
                TransportProperties = new Dictionary<string, string> { ["topic.metadata.refresh.interval.ms"] = "200", ["debug"] = "broker" },
            },
            id);
        producer.InitTransactions(TxTimeout);

        // A committed transaction: the producer now has broker 2 cached as the group's coordinator.
        producer.BeginTransaction();
        Consume.Produce(producer, "stuck-out", "k", "first");
        producer.SendOffsetsToTransaction([new TopicPartitionOffset("stuck-in", 0, 1)], consumer, TxTimeout);
        producer.CommitTransaction(TxTimeout);
        Assert.Equal(1, consumer.Committed(new TopicPartition("stuck-in", 0)));

        mock.BrokerDown(2);
        bool dropped = SpinWait.SpinUntil(
            () => log.Any(l => l.Contains("stuck-producer#", StringComparison.Ordinal) && l.Contains("/2: Decommissioning this broker", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60));
        if (!dropped)
        {
            mock.BrokerUp(2);
        }

        Assert.True(dropped, "The producer's librdkafka did not drop broker 2 while it was down; the scenario needs a Metadata refresh during the outage.");

        // The next transaction sends its offsets during the outage; the coordinator is back a second later, well within
        // the call's timeout.
        int abandonedBefore = KafkaProducer.AbandonedCount;
        producer.BeginTransaction();
        Consume.Produce(producer, "stuck-out", "k", "lost");
        Exception? sendError = null;
        using var sending = new ManualResetEventSlim();
        var send = new Thread(() =>
        {
            try
            {
                sending.Set();
                producer.SendOffsetsToTransaction([new TopicPartitionOffset("stuck-in", 0, 2)], consumer, SendTimeout);
            }
            catch (Exception e)
            {
                sendError = e;
            }
        }) { IsBackground = true };
        send.Start();

        // The call is under way before the coordinator comes back (a thread can take long to start on a loaded machine).
        Assert.True(sending.Wait(TimeSpan.FromSeconds(60)), "the thread sending the offsets did not start within 60 s");
        Thread.Sleep(1000);
        mock.BrokerUp(2);
        Assert.True(
            send.Join(TimeSpan.FromSeconds(60)),
            $"SendOffsetsToTransaction with a {SendTimeout} timeout did not return within 60 s: the transport hangs with librdkafka.");
        var stuck = Assert.IsType<KafkaClientStuckException>(sendError);
        Assert.Contains("must be aborted", stuck.Message, StringComparison.Ordinal);
        Assert.Contains(id, stuck.Message, StringComparison.Ordinal);
        Assert.Equal(abandonedBefore + 1, KafkaProducer.AbandonedCount);

        // The transaction can only be aborted; the abort initializes the new client, and the retried transaction commits.
        Assert.Contains("must be aborted", Assert.Throws<KappaTransportException>(() => producer.CommitTransaction(TxTimeout)).Message, StringComparison.Ordinal);
        producer.AbortTransaction(TxTimeout);
        Assert.Equal(1, consumer.Committed(new TopicPartition("stuck-in", 0)));
        producer.BeginTransaction();
        Consume.Produce(producer, "stuck-out", "k", "retried");
        producer.SendOffsetsToTransaction([new TopicPartitionOffset("stuck-in", 0, 2)], consumer, TxTimeout);
        producer.CommitTransaction(TxTimeout);

        Assert.Equal(2, consumer.Committed(new TopicPartition("stuck-in", 0)));
        CommitMarkers(producer, "stuck-out", 1, "end");
        List<string?> outputs = ReadUntilMarkers(transport, "stuck-out", 1, [0], "end", readCommitted: true).Select(r => r.ValueText).ToList();
        Assert.Equal("first", outputs[0]);
        Assert.Equal("retried", outputs[^1]);
    }
}
