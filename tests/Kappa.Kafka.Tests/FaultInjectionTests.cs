using Kappa.Kafka.Testing;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

/// <summary>Faults injected through the mock cluster (these always run on the mock: a real cluster cannot be told to fail).</summary>
public class FaultInjectionTests
{
    private const short Produce = 0;
    private const short OffsetCommit = 8;
    private const int NotLeaderForPartition = 6;
    private const int TopicAuthorizationFailed = 29;
    private const int GroupAuthorizationFailed = 30;

    [Fact]
    public void Consumption_survives_the_leader_going_down_and_coming_back()
    {
        using var mock = new MockKafkaCluster(3);
        mock.CreateTopic("down-up", 1);
        mock.SetPartitionLeader("down-up", 0, 2);
        using var transport = new KafkaTransport(mock.TransportOptions());
        ProduceRange(transport, "down-up", 0, 50);

        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "down-up" });
        consumer.Assign([new TopicPartitionOffset("down-up", 0, 0)]);
        var got = Consume.Exactly(consumer, 20);

        mock.BrokerDown(2);
        // While the leader is down the consumer keeps returning what it had fetched, then nothing; it must not throw.
        got.AddRange(Consume.Drain(consumer, TimeSpan.FromSeconds(1)));
        mock.BrokerUp(2);
        ProduceRange(transport, "down-up", 50, 30);

        got.AddRange(Consume.Exactly(consumer, 80 - got.Count));
        Assert.Equal(Enumerable.Range(0, 80).Select(i => (long)i), got.Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(0, 80).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), got.Select(r => r.ValueText));
    }

    [Fact]
    public void Retriable_produce_errors_are_retried_and_idempotence_keeps_records_unique()
    {
        using var mock = new MockKafkaCluster(1);
        mock.CreateTopic("retry", 1);
        using var transport = new KafkaTransport(mock.TransportOptions());
        mock.PushRequestErrors(Produce, NotLeaderForPartition, NotLeaderForPartition, NotLeaderForPartition);
        ProduceRange(transport, "retry", 0, 10);

        Assert.Equal(new WatermarkOffsets(0, 10), transport.GetWatermarks(new TopicPartition("retry", 0)));
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "retry" });
        consumer.Assign([new TopicPartitionOffset("retry", 0, 0)]);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Consume.Exactly(consumer, 10).Select(r => r.ValueText));
    }

    [Fact]
    public void A_permanent_produce_error_makes_flush_throw_naming_topic_partition_and_error()
    {
        using var mock = new MockKafkaCluster(1);
        mock.CreateTopic("denied", 2);
        using var transport = new KafkaTransport(mock.TransportOptions());
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        mock.PushRequestErrors(Produce, TopicAuthorizationFailed);
        Consume.Produce(producer, "denied", "k", "v", partition: 1);

        var ex = Assert.Throws<KappaTransportException>(() => producer.Flush());
        Assert.Contains("denied-1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TopicAuthorizationFailed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_commit_throws_a_transport_exception_and_a_later_commit_succeeds()
    {
        using var mock = new MockKafkaCluster(1);
        mock.CreateTopic("commit-fail", 1);
        using var transport = new KafkaTransport(mock.TransportOptions());
        ProduceRange(transport, "commit-fail", 0, 3);
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "commit-fail" });
        consumer.Subscribe(["commit-fail"]);
        Consume.Exactly(consumer, 3);

        mock.PushRequestErrors(OffsetCommit, GroupAuthorizationFailed);
        var ex = Assert.Throws<KappaTransportException>(() => consumer.Commit([new TopicPartitionOffset("commit-fail", 0, 3)]));
        Assert.Contains("commit", ex.Message, StringComparison.Ordinal);
        Assert.Contains("commit-fail", ex.Message, StringComparison.Ordinal);

        consumer.Commit([new TopicPartitionOffset("commit-fail", 0, 3)]);
        Assert.Equal(3, consumer.Committed(new TopicPartition("commit-fail", 0)));
    }

    [Fact]
    public void Mock_cluster_rejects_bad_arguments_with_clear_errors()
    {
        using var mock = new MockKafkaCluster(2);
        var broker = Assert.Throws<ArgumentOutOfRangeException>(() => mock.BrokerDown(3));
        Assert.Contains("brokers 1..2", broker.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => mock.CreateTopic("t", 0));
        Assert.Throws<ArgumentException>(() => mock.SetCoordinator("cluster", "g", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => mock.SetPartitionLeader("t", 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => mock.PushRequestErrors(-1, 6));
        mock.SetCoordinator("group", "g", 2);
        mock.Dispose();
        Assert.Throws<ObjectDisposedException>(() => mock.CreateTopic("after", 1));
    }

    internal static void ProduceRange(KafkaTransport transport, string topic, int from, int count)
    {
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        for (int i = from; i < from + count; i++)
        {
            Consume.Produce(producer, topic, "k" + i, i.ToString(System.Globalization.CultureInfo.InvariantCulture), partition: 0);
        }

        producer.Flush();
    }
}
