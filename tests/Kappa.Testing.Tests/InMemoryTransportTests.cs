using Kappa.Transport;

namespace Kappa.Testing.Tests;

/// <summary>The shipped in-memory transport keeps the contract the runner relies on.</summary>
public sealed class InMemoryTransportTests
{
    [Fact]
    public void A_transaction_is_invisible_until_committed_and_its_offsets_commit_with_it()
    {
        using var transport = new InMemoryTransport();
        transport.EnsureTopics([new TopicSpec("in", 1), new TopicSpec("out", 1)]);
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "g" });
        consumer.Subscribe(["in"]);
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "g.1");
        producer.InitTransactions(TimeSpan.FromSeconds(1));

        producer.BeginTransaction();
        producer.Produce(new OutgoingRecord("out", "k"u8, "a"u8));
        producer.SendOffsetsToTransaction([new TopicPartitionOffset("in", 0, 5)], consumer, TimeSpan.FromSeconds(1));
        Assert.Empty(transport.Read("out"));
        Assert.Null(transport.CommittedOffset("g", new TopicPartition("in", 0)));
        producer.CommitTransaction(TimeSpan.FromSeconds(1));
        Assert.Equal("a"u8.ToArray(), Assert.Single(transport.Read("out")).Value);
        Assert.Equal(5, transport.CommittedOffset("g", new TopicPartition("in", 0)));

        producer.BeginTransaction();
        producer.Produce(new OutgoingRecord("out", "k"u8, "b"u8));
        producer.AbortTransaction(TimeSpan.FromSeconds(1));
        Assert.Single(transport.Read("out"));
        Assert.Throws<InvalidOperationException>(() => producer.Produce(new OutgoingRecord("out", "k"u8, "c"u8)));
    }

    [Fact]
    public void A_newer_producer_with_the_same_transactional_id_fences_the_older_one()
    {
        using var transport = new InMemoryTransport();
        transport.EnsureTopics([new TopicSpec("out", 1)]);
        using ITransactionalProducer old = transport.CreateTransactionalProducer(new ProducerSettings(), "g.1");
        old.InitTransactions(TimeSpan.FromSeconds(1));
        old.BeginTransaction();
        using ITransactionalProducer newer = transport.CreateTransactionalProducer(new ProducerSettings(), "g.1");
        newer.InitTransactions(TimeSpan.FromSeconds(1));

        Assert.Throws<KappaFencedException>(() => old.Produce(new OutgoingRecord("out", "k"u8, "x"u8)));
        Assert.Throws<KappaFencedException>(() => old.CommitTransaction(TimeSpan.FromSeconds(1)));
        newer.BeginTransaction();
        newer.Produce(new OutgoingRecord("out", "k"u8, "y"u8));
        newer.CommitTransaction(TimeSpan.FromSeconds(1));
        Assert.Equal("y"u8.ToArray(), Assert.Single(transport.Read("out")).Value);
    }

    [Fact]
    public void Keys_go_where_Kafkas_partitioner_sends_them_and_a_group_resumes_from_its_commit()
    {
        using var transport = new InMemoryTransport();
        transport.EnsureTopics([new TopicSpec("t", 5)]);
        using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
        {
            for (int i = 0; i < 20; i++)
            {
                producer.Produce(new OutgoingRecord("t", System.Text.Encoding.UTF8.GetBytes($"key-{i}"), [(byte)i]) { TimestampMs = i });
            }

            Assert.Empty(transport.Read("t")); // visible on flush
            producer.Flush();
        }

        Assert.All(transport.Read("t"), r => Assert.Equal(KafkaPartitioner.Partition(r.Key, 5), r.Partition));

        var first = new TopicPartition("t", KafkaPartitioner.Partition("key-0"u8, 5));
        using (IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "g" }))
        {
            consumer.Subscribe(["t"]);
            Assert.Equal(5, consumer.Assignment.Count);
            consumer.Commit([new TopicPartitionOffset(first.Topic, first.Partition, 1)]);
        }

        using IKappaConsumer again = transport.CreateConsumer(new ConsumerSettings { GroupId = "g" });
        again.Subscribe(["t"]);
        Assert.Equal(1, again.Position(first));
        Assert.Throws<KappaTransportException>(() => transport.GetWatermarks(new TopicPartition("t", 5)));
        Assert.Throws<KappaTransportException>(() => transport.EnsureTopics([new TopicSpec("bad", 0)]));
    }
}
