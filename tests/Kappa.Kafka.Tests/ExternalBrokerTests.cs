using Kappa.Kafka.Testing;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

public class ExternalBrokerTests
{
    [Fact]
    public void Broker_process_serves_produce_and_consume_with_injected_faults_and_stops_cleanly()
    {
        var broker = new ExternalMockKafkaCluster(brokers: 2);
        int pid = broker.ProcessId;
        try
        {
            Assert.Matches(@"^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$", broker.Bootstrap);
            using var transport = new KafkaTransport(broker.TransportOptions());
            transport.EnsureTopics([new TopicSpec("ext", 2)]);
            Assert.Equal(2, transport.GetPartitionCount("ext"));

            broker.PushRequestErrors(0, 6, 6);
            broker.SetPartitionLeader("ext", 1, 2);
            using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
            {
                for (int i = 0; i < 20; i++)
                {
                    Consume.Produce(producer, "ext", "k" + i, "v" + i, partition: i % 2);
                }

                producer.Flush();
            }

            broker.BrokerDown(2);
            broker.BrokerUp(2);
            using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "ext" });
            consumer.Subscribe(["ext"]);
            List<Received> got = Consume.Exactly(consumer, 20);
            Assert.Equal(Enumerable.Range(0, 20).Select(i => "v" + i).Order(), got.Select(r => r.ValueText!).Order());
            Assert.All(got, r => Assert.Equal(int.Parse(r.KeyText![1..], System.Globalization.CultureInfo.InvariantCulture) % 2, r.Partition));

            var bad = Assert.Throws<KafkaMockClusterException>(() => broker.Send("down 7"));
            Assert.Contains("brokers 1..2", bad.Message, StringComparison.Ordinal);
            var unknown = Assert.Throws<KafkaMockClusterException>(() => broker.Send("explode"));
            Assert.Contains("unknown command 'explode'", unknown.Message, StringComparison.Ordinal);
            Assert.Equal(broker.Bootstrap, broker.Send("bootstrap"));
            consumer.Close();
        }
        finally
        {
            broker.Dispose();
        }

        // Closing stdin stopped the process.
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
    }

    [Fact]
    public void Transactions_on_the_broker_process_commit_offsets_only_with_a_committed_transaction()
    {
        using var broker = new ExternalMockKafkaCluster(brokers: 1);
        using var transport = new KafkaTransport(broker.TransportOptions());
        Assert.True(broker.TransportOptions().EmulateTransactionalOffsetCommit);
        transport.EnsureTopics([new TopicSpec("ext-in", 1), new TopicSpec("ext-out", 1)]);
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "ext-tx" });
        consumer.Assign([new TopicPartitionOffset("ext-in", 0, 0)]);
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "ext-tx.0");
        producer.InitTransactions(TimeSpan.FromSeconds(30));

        producer.BeginTransaction();
        Consume.Produce(producer, "ext-out", "k", "aborted");
        producer.SendOffsetsToTransaction([new TopicPartitionOffset("ext-in", 0, 7)], consumer, TimeSpan.FromSeconds(30));
        producer.AbortTransaction(TimeSpan.FromSeconds(30));
        Assert.Null(consumer.Committed(new TopicPartition("ext-in", 0)));

        producer.BeginTransaction();
        Consume.Produce(producer, "ext-out", "k", "committed");
        producer.SendOffsetsToTransaction([new TopicPartitionOffset("ext-in", 0, 3)], consumer, TimeSpan.FromSeconds(30));
        producer.CommitTransaction(TimeSpan.FromSeconds(30));
        Assert.Equal(3, consumer.Committed(new TopicPartition("ext-in", 0)));
    }

    [Fact]
    public void Killing_the_broker_process_makes_commands_fail_clearly()
    {
        using var broker = new ExternalMockKafkaCluster(brokers: 1);
        broker.CreateTopic("gone", 1);
        broker.Kill();
        Assert.True(broker.HasExited);
        var ex = Assert.Throws<KafkaMockClusterException>(() => broker.CreateTopic("after", 1));
        Assert.Contains("has exited", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_broker_dll_is_reported_with_the_path_and_the_fix()
    {
        var ex = Assert.Throws<KafkaMockClusterException>(() => new ExternalMockKafkaCluster(brokerDll: "/nonexistent/kappa-test-broker.dll"));
        Assert.Contains("/nonexistent/kappa-test-broker.dll", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ExternalMockKafkaCluster.BrokerPathVariable, ex.Message, StringComparison.Ordinal);
    }
}
