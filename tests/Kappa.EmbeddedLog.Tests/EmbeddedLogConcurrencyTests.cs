using Kappa.Log;
using Kappa.Naming;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class EmbeddedLogConcurrencyTests
{
    [Fact]
    public void LongRunOnOnePartition_NeverReportsEmptyBeforeTheEnd()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("one", 1), new TopicSpec("two", 2) });
        using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
        {
            for (int i = 0; i < 10_000; i++)
            {
                producer.Produce(new OutgoingRecord("one", Bytes($"k{i}"), Bytes("v")));
                producer.Produce(new OutgoingRecord("two", Bytes($"k{i}"), Bytes("v")));
            }

            producer.Flush();
        }

        using IKappaConsumer fresh = transport.CreateConsumer(new ConsumerSettings { GroupId = "g2" });
        fresh.Subscribe(new[] { "one", "two" });
        int count = 0;
        while (fresh.TryConsume(TimeSpan.Zero, out _))
        {
            count++;
        }

        Assert.Equal(20_000, count);
    }

    [Fact]
    public void OneWriterManyReaders_ReadersSeeOnlyWholeBatchesInOrder()
    {
        using var dir = new TempDir();
        EmbeddedLogOptions options = Options(dir.Path);
        options.SegmentBytes = 64 * 1024;
        using EmbeddedLog log = EmbeddedLog.Open(options);
        log.EnsureTopic("c", new TopicConfig(1));
        PartitionLog p = log.GetPartition("c", 0);
        const int Batches = 400;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var readers = Enumerable.Range(0, 3).Select(r => new Thread(() =>
        {
            using PartitionReader reader = p.OpenReader(0);
            long expected = 0;
            while (expected < Batches * 10)
            {
                if (!reader.TryRead(out Kappa.Log.Format.BatchRecord rec))
                {
                    Thread.Yield();
                    continue;
                }

                if (rec.Offset != expected || System.Text.Encoding.UTF8.GetString(rec.Value) != $"v{expected}")
                {
                    errors.Enqueue($"reader {r}: expected {expected}, got {rec.Offset}");
                    return;
                }

                expected++;
                if (expected % 10 != 0 && reader.AtEnd)
                {
                    errors.Enqueue($"reader {r}: end in the middle of a batch at {expected}");
                }
            }
        })).ToList();
        readers.ForEach(t => t.Start());
        for (int b = 0; b < Batches; b++)
        {
            AppendBatch(p, Enumerable.Range(b * 10, 10).Select(i => ((byte[]?)Bytes($"k{i}"), (byte[]?)Bytes($"v{i}"), (long)i)).ToList());
        }

        readers.ForEach(t => t.Join());
        Assert.Empty(errors);
        Assert.True(p.SegmentCount > 1);
    }
}
