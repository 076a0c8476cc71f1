using Kappa.Log;
using Kappa.Naming;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class EmbeddedLogTransportSettingsTests
{
    [Fact]
    public void StartFromLatest_SkipsExistingRecords_AndTopicSpecsCarryRetention()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("t", 1) { Retention = TimeSpan.FromHours(5), RetentionBytes = 12345 } });
        TopicConfig config = transport.Log.GetTopicConfig("t")!;
        Assert.Equal(TimeSpan.FromHours(5), config.Retention);
        Assert.Equal(12345, config.RetentionBytes);
        Assert.Contains("retention.ms=18000000", File.ReadAllText(Path.Combine(dir.Path, "t.topic")));
        var conflict = Assert.Throws<KappaTransportException>(() => transport.EnsureTopics(new[] { new TopicSpec("t", 1, Compacted: true) }));
        Assert.Contains("cleanup.policy=delete", conflict.Message);

        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        producer.Produce(new OutgoingRecord("t", Bytes("a"), Bytes("old")));
        producer.Flush();
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "late", StartFrom = StartPosition.Latest });
        consumer.Subscribe(new[] { "t" });
        Assert.False(consumer.TryConsume(TimeSpan.FromMilliseconds(10), out _));
        producer.Produce(new OutgoingRecord("t", Bytes("b"), Bytes("new")));
        producer.Flush();
        Assert.True(consumer.TryConsume(TimeSpan.FromSeconds(5), out ConsumedRecord r));
        Assert.Equal("new", System.Text.Encoding.UTF8.GetString(r.Value));
        Assert.Equal(1, r.Offset);
    }

    [Fact]
    public void ProducersAutoCreateTopics_WithTheDefaultPartitionCount()
    {
        using var dir = new TempDir();
        EmbeddedLogOptions options = Options(dir.Path);
        options.DefaultPartitions = 3;
        using var transport = new EmbeddedLogTransport(options);
        Assert.Null(transport.GetPartitionCount("auto"));
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        producer.Produce(new OutgoingRecord("auto", Bytes("k"), Bytes("v")));
        producer.Flush();
        Assert.Equal(3, transport.GetPartitionCount("auto"));
        Assert.Equal(1, transport.GetWatermarks(new TopicPartition("auto", KafkaPartitioner.Partition(Bytes("k"), 3))).High);
        var bad = Assert.Throws<KappaTransportException>(() => producer.Produce(new OutgoingRecord("auto", Bytes("k"), Bytes("v")) { Partition = 3 }));
        Assert.Contains("3 partition(s)", bad.Message);
        Assert.Throws<KappaTransportException>(() => transport.GetWatermarks(new TopicPartition("nope", 0)));
        Assert.StartsWith("embedded log at ", transport.Description);
    }
}
