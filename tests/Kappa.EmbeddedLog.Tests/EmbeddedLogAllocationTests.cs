using Kappa.Log;
using Kappa.Naming;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class EmbeddedLogAllocationTests
{
    [Fact]
    public void GroupConsumer_DeliversRecordsWithoutAllocatingPerRecord()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("a", 2) });
        using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
        {
            byte[] value = new byte[100];
            for (int i = 0; i < 20_000; i++)
            {
                producer.Produce(new OutgoingRecord("a", default, value) { KeyIsNull = true, Partition = i % 2 });
            }

            producer.Flush();
        }

        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "alloc" });
        consumer.Subscribe(new[] { "a" });
        long sum = 0;

        // Warm up past the first switch between the two partitions (after 4,096 records), so both readers have opened their segments.
        for (int i = 0; i < 6000; i++)
        {
            Assert.True(consumer.TryConsume(TimeSpan.FromSeconds(5), out ConsumedRecord r));
            sum += r.Value.Length;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int consumed = 0;
        for (int i = 0; i < 12_000; i++)
        {
            if (consumer.TryConsume(TimeSpan.Zero, out ConsumedRecord r))
            {
                sum += r.Value.Length;
                consumed++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(12_000, consumed);
        Assert.Equal(18_000 * 100, sum);
        // Any per-record allocation would be at least 24 bytes per record (288 KB here); the bound of 1 byte per record
        // leaves room for incidental runtime allocations on this thread (tiered JIT, call counting).
        Assert.True(allocated < consumed, $"consuming {consumed} records allocated {allocated} bytes");
    }
}
