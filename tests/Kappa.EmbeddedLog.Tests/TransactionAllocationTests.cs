using Kappa.Log;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class TransactionAllocationTests
{
    [Fact]
    public void TransactionPerBatch_AllocatesNothingPerRecord_AndLittlePerTransaction()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("in", 1), new TopicSpec("out", 4), new TopicSpec("store-changelog", 2, Compacted: true) });
        using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = "proc" });
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "alloc");
        producer.InitTransactions(TimeSpan.FromSeconds(5));
        byte[] key = new byte[8];
        byte[] value = new byte[100];
        var offsets = new TopicPartitionOffset[1];
        long position = 0;

        void Batch()
        {
            producer.BeginTransaction();
            for (int i = 0; i < 1000; i++)
            {
                key[0] = (byte)i;
                key[1] = (byte)(i >> 8);
                producer.Produce(new OutgoingRecord(i % 10 == 0 ? "store-changelog" : "out", key, value) { TimestampMs = 1 });
            }

            offsets[0] = new TopicPartitionOffset("in", 0, ++position);
            producer.SendOffsetsToTransaction(offsets, input, TimeSpan.FromSeconds(5));
            producer.CommitTransaction(TimeSpan.FromSeconds(5));
        }

        for (int t = 0; t < 20; t++)
        {
            Batch();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        const int Transactions = 30;
        for (int t = 0; t < Transactions; t++)
        {
            Batch();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(Transactions + 20, input.Committed(new TopicPartition("in", 0)));
        // A per-record allocation would be at least 24 bytes x 30,000 records; allow a few hundred bytes per transaction
        // for incidental runtime allocations (tiered JIT, call counting) and grown buffers.
        Assert.True(allocated < Transactions * 500, $"{Transactions} transactions of 1,000 records allocated {allocated} bytes");
    }
}
