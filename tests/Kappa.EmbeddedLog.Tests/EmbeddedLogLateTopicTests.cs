using Kappa.Log;
using Kappa.Naming;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class EmbeddedLogLateTopicTests
{
    [Fact]
    public void SubscribingBeforeTheTopicExists_AssignsItOnceCreated()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        var assigned = new List<TopicPartition>();
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "early", OnAssigned = assigned.AddRange });
        consumer.Subscribe(new[] { "later" });
        Assert.False(consumer.TryConsume(TimeSpan.Zero, out _));
        Assert.Empty(consumer.Assignment);
        transport.EnsureTopics(new[] { new TopicSpec("later", 2) });
        using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
        {
            producer.Produce(new OutgoingRecord("later", Bytes("k"), Bytes("v")));
            producer.Flush();
        }

        Assert.True(consumer.TryConsume(TimeSpan.FromSeconds(5), out ConsumedRecord r));
        Assert.Equal("later", r.Topic);
        Assert.Equal(new[] { new TopicPartition("later", 0), new TopicPartition("later", 1) }, assigned);
    }
}
