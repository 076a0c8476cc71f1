using Kappa.Log;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class OffsetsTopicMaintenanceTests
{
    [Fact]
    public void Maintenance_CompactsTheOffsetsTopic_AndCommitsSurvive()
    {
        using var dir = new TempDir();
        EmbeddedLogOptions options = LogTestSupport.Options(dir.Path);
        options.SegmentBytes = 2048;
        using (var transport = new EmbeddedLogTransport(options))
        {
            transport.EnsureTopics(new[] { new Kappa.Transport.TopicSpec("in", 3) });
            using Kappa.Transport.IKappaConsumer consumer = transport.CreateConsumer(new Kappa.Transport.ConsumerSettings { GroupId = "g" });
            for (int i = 1; i <= 300; i++)
            {
                consumer.Commit(new[] { new Kappa.Transport.TopicPartitionOffset("in", i % 3, i) });
            }

            PartitionLog offsets = transport.Log.GetPartition(Kappa.Naming.KappaNames.ConsumerOffsetsTopic, 0);
            Assert.True(offsets.SegmentCount > 2);
            long before = offsets.SizeInBytes;
            transport.RunMaintenance();
            Assert.True(offsets.SizeInBytes < before / 2, $"offsets topic should shrink: {before} -> {offsets.SizeInBytes}");
        }

        using (var transport = new EmbeddedLogTransport(LogTestSupport.Options(dir.Path)))
        {
            using Kappa.Transport.IKappaConsumer consumer = transport.CreateConsumer(new Kappa.Transport.ConsumerSettings { GroupId = "g" });
            Assert.Equal(300, consumer.Committed(new Kappa.Transport.TopicPartition("in", 0)));
            Assert.Equal(298, consumer.Committed(new Kappa.Transport.TopicPartition("in", 1)));
            Assert.Equal(299, consumer.Committed(new Kappa.Transport.TopicPartition("in", 2)));
        }
    }
}
