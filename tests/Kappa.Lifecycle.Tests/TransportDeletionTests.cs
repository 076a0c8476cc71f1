using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests;

/// <summary>The transport capabilities retire needs: list and delete topics and consumer groups, and nothing else.</summary>
public sealed class TransportDeletionTests
{
    [Fact]
    public void TheEmbeddedLogDeletesExactlyTheNamedTopicsAndGroups()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        IKappaTransport log = transport.Transport;
        Seed(log);

        Assert.Equal(["_kappa.consumer-offsets", "keep", "keep.dlq", "old", "old.dlq"], log.ListTopics().Order(StringComparer.Ordinal));
        Assert.Equal(["g-keep", "g-old"], log.ListConsumerGroups().Order(StringComparer.Ordinal));

        log.DeleteTopics(["old", "old.dlq", "never-existed"]);
        log.DeleteConsumerGroup("g-old");
        log.DeleteConsumerGroup("never-existed");

        Assert.Equal(["_kappa.consumer-offsets", "keep", "keep.dlq"], log.ListTopics().Order(StringComparer.Ordinal));
        Assert.Equal(["g-keep"], log.ListConsumerGroups());
        Assert.Null(log.GetPartitionCount("old"));
        Assert.Equal(5, log.GetWatermarks(new TopicPartition("keep", 1)).High);
        using IKappaConsumer probe = log.CreateConsumer(new ConsumerSettings { GroupId = "g-keep" });
        Assert.Equal(3, probe.Committed(new TopicPartition("keep", 0)));
        using IKappaConsumer gone = log.CreateConsumer(new ConsumerSettings { GroupId = "g-old" });
        Assert.Null(gone.Committed(new TopicPartition("keep", 0)));

        // A deleted topic can be created again, empty.
        log.EnsureTopics([new TopicSpec("old", 2)]);
        Assert.Equal(0, log.GetWatermarks(new TopicPartition("old", 0)).High);
    }

    [Fact]
    public void TheEmbeddedLogKeepsDeletionsAcrossARestart()
    {
        string directory = Directory.CreateTempSubdirectory("kappa-lifecycle-restart-").FullName;
        try
        {
            var options = new Log.EmbeddedLogOptions { Directory = directory, FsyncPolicy = Log.FsyncPolicy.Never };
            using (var log = new Log.EmbeddedLogTransport(options))
            {
                Seed(log);
                log.DeleteTopics(["old", "old.dlq"]);
                log.DeleteConsumerGroup("g-old");
            }

            using var reopened = new Log.EmbeddedLogTransport(options);
            Assert.Equal(["_kappa.consumer-offsets", "keep", "keep.dlq"], reopened.ListTopics().Order(StringComparer.Ordinal));
            Assert.Equal(["g-keep"], reopened.ListConsumerGroups());
            Assert.False(Directory.Exists(Path.Combine(directory, "old-0")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void AGroupWithLiveMembersIsNotDeleted()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        Seed(transport.Transport);
        using IKappaConsumer member = transport.Transport.CreateConsumer(new ConsumerSettings { GroupId = "g-old" });
        member.Subscribe(["old"]);
        var error = Assert.Throws<KappaTransportException>(() => transport.Transport.DeleteConsumerGroup("g-old"));
        Assert.Contains("live members", error.Message, StringComparison.Ordinal);
        Assert.Contains("g-old", transport.Transport.ListConsumerGroups());
    }

    [Fact]
    public void TheOffsetsTopicCannotBeDeleted()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        Assert.Throws<ArgumentException>(() => transport.Transport.DeleteTopics(["_kappa.consumer-offsets"]));
    }

    private static void Seed(IKappaTransport transport)
    {
        transport.EnsureTopics([new TopicSpec("keep", 2), new TopicSpec("keep.dlq", 1), new TopicSpec("old", 2), new TopicSpec("old.dlq", 1)]);
        using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
        {
            foreach (string topic in new[] { "keep", "old" })
            {
                for (int p = 0; p < 2; p++)
                {
                    for (int i = 0; i < 5; i++)
                    {
                        producer.Produce(new OutgoingRecord(topic, "k"u8, "v"u8) { Partition = p });
                    }
                }
            }

            producer.Flush();
        }

        foreach (string group in new[] { "g-keep", "g-old" })
        {
            using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = group });
            consumer.Commit([new TopicPartitionOffset("keep", 0, 3), new TopicPartitionOffset("old", 0, 2)]);
        }
    }
}
