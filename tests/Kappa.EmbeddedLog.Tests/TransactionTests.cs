using Kappa.Log;
using Kappa.Log.Format;
using Kappa.Log.Transactions;
using Kappa.Naming;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

/// <summary>Exactly-once on the embedded log: atomic commits of records and offsets, aborts, isolation, fencing, recovery.</summary>
public class TransactionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Commit_MakesRecordsOnSeveralTopicsAndTheOffsetsVisibleTogether()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("in", 1), new TopicSpec("out", 3), new TopicSpec("store-changelog", 2, Compacted: true) });
        using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = "proc" });
        using IKappaConsumer committedReader = transport.CreateConsumer(new ConsumerSettings { GroupId = "reader-c" });
        using IKappaConsumer uncommittedReader = transport.CreateConsumer(new ConsumerSettings { GroupId = "reader-u", ReadCommitted = false });
        committedReader.Subscribe(new[] { "out", "store-changelog" });
        uncommittedReader.Subscribe(new[] { "out", "store-changelog" });
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "proc.0");
        producer.InitTransactions(Timeout);

        producer.BeginTransaction();
        for (int i = 0; i < 2500; i++)
        {
            producer.Produce(new OutgoingRecord("out", Bytes($"k{i}"), Bytes($"v{i}")));
        }

        for (int i = 0; i < 40; i++)
        {
            producer.Produce(new OutgoingRecord("store-changelog", Bytes($"s{i}"), Bytes($"state{i}")));
        }

        producer.SendOffsetsToTransaction(new[] { new TopicPartitionOffset("in", 0, 17) }, input, Timeout);
        producer.Flush();

        // Open transaction: nothing appended, nothing visible to either isolation level, offsets unchanged.
        Assert.Empty(Drain(committedReader));
        Assert.Empty(Drain(uncommittedReader));
        Assert.Null(input.Committed(new TopicPartition("in", 0)));
        for (int p = 0; p < 3; p++)
        {
            Assert.Equal(0, transport.GetWatermarks(new TopicPartition("out", p)).High);
        }

        producer.CommitTransaction(Timeout);

        Assert.Equal(17, input.Committed(new TopicPartition("in", 0)));
        List<string> seen = Drain(committedReader);
        Assert.Equal(2540, seen.Count);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => $"v{i}").Concat(Enumerable.Range(0, 40).Select(i => $"state{i}")).Order(), seen.Order());
        Assert.Equal(2540, Drain(uncommittedReader).Count);

        // On disk: transactional batches with the producer id and epoch, each partition ended by a COMMIT marker.
        for (int p = 0; p < 3; p++)
        {
            List<RecordBatchHeader> batches = Batches(transport.Log.GetPartition("out", p));
            Assert.True(batches.Count >= 2);
            Assert.All(batches, b => Assert.True(b.IsTransactional && b.ProducerId >= 0 && b.ProducerEpoch == 0));
            Assert.True(batches[^1].IsControl);
            Assert.DoesNotContain(batches.Take(batches.Count - 1), b => b.IsControl);
        }

        List<RecordBatchHeader> offsetBatches = Batches(transport.Log.GetPartition(KappaNames.ConsumerOffsetsTopic, 0));
        Assert.True(offsetBatches[^1].IsControl && offsetBatches[^2].IsTransactional);

        // Reopened: the offsets come back from the log.
        transport.Dispose();
        using var reopened = new EmbeddedLogTransport(Options(dir.Path));
        using IKappaConsumer again = reopened.CreateConsumer(new ConsumerSettings { GroupId = "proc" });
        Assert.Equal(17, again.Committed(new TopicPartition("in", 0)));
    }

    [Fact]
    public void Abort_HidesTheRecords_AndLeavesTheOffsetsUnchanged()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("in", 2), new TopicSpec("out", 2) });
        using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = "proc" });
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "proc.0");
        producer.InitTransactions(Timeout);

        Transaction(producer, input, "first", 10, new TopicPartitionOffset("in", 0, 5));
        producer.CommitTransaction(Timeout);
        long[] ends = Enumerable.Range(0, 2).Select(p => transport.GetWatermarks(new TopicPartition("out", p)).High).ToArray();

        Transaction(producer, input, "aborted", 3000, new TopicPartitionOffset("in", 0, 9), new TopicPartitionOffset("in", 1, 4));
        producer.AbortTransaction(Timeout);

        Assert.Equal(5, input.Committed(new TopicPartition("in", 0)));
        Assert.Null(input.Committed(new TopicPartition("in", 1)));
        Assert.Equal(ends, Enumerable.Range(0, 2).Select(p => transport.GetWatermarks(new TopicPartition("out", p)).High).ToArray());

        Transaction(producer, input, "third", 7, new TopicPartitionOffset("in", 0, 12));
        producer.CommitTransaction(Timeout);

        using IKappaConsumer reader = transport.CreateConsumer(new ConsumerSettings { GroupId = "reader", ReadCommitted = false });
        reader.Subscribe(new[] { "out" });
        List<string> values = Drain(reader);
        Assert.Equal(17, values.Count);
        Assert.DoesNotContain(values, v => v.StartsWith("aborted", StringComparison.Ordinal));
        Assert.Equal(12, input.Committed(new TopicPartition("in", 0)));
        Assert.Null(input.Committed(new TopicPartition("in", 1)));
    }

    [Fact]
    public void OpenTransaction_IsInvisible_UntilCommit_WhilePlainProducersKeepWorking()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("out", 1) });
        using ITransactionalProducer tx = transport.CreateTransactionalProducer(new ProducerSettings(), "tx");
        using IKappaProducer plain = transport.CreateProducer(new ProducerSettings());
        using IKappaConsumer reader = transport.CreateConsumer(new ConsumerSettings { GroupId = "r" });
        reader.Subscribe(new[] { "out" });
        tx.InitTransactions(Timeout);
        tx.BeginTransaction();
        tx.Produce(new OutgoingRecord("out", Bytes("a"), Bytes("tx-1")));
        plain.Produce(new OutgoingRecord("out", Bytes("b"), Bytes("plain-1")));
        plain.Flush();
        tx.Produce(new OutgoingRecord("out", Bytes("a"), Bytes("tx-2")));
        tx.Flush();

        Assert.Equal(new[] { "plain-1" }, Drain(reader));
        Assert.False(reader.TryConsume(TimeSpan.FromMilliseconds(50), out _));

        tx.CommitTransaction(Timeout);
        Assert.Equal(new[] { "tx-1", "tx-2" }, Drain(reader));
        List<RecordBatchHeader> batches = Batches(transport.Log.GetPartition("out", 0));
        Assert.False(batches[0].IsTransactional);
        Assert.Equal(-1, batches[0].ProducerId);
        Assert.True(batches[1].IsTransactional && !batches[1].IsControl);
        Assert.True(batches[2].IsControl);
    }

    [Fact]
    public void InitTransactions_FencesTheOlderProducer_AndAbortsItsOpenTransaction_AcrossRestarts()
    {
        using var dir = new TempDir();
        short secondEpoch;
        using (var transport = new EmbeddedLogTransport(Options(dir.Path)))
        {
            transport.EnsureTopics(new[] { new TopicSpec("in", 1), new TopicSpec("out", 2) });
            using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = "proc" });
            using ITransactionalProducer zombie = transport.CreateTransactionalProducer(new ProducerSettings(), "proc.0");
            zombie.InitTransactions(Timeout);
            Transaction(zombie, input, "zombie", 50, new TopicPartitionOffset("in", 0, 3));

            using ITransactionalProducer successor = transport.CreateTransactionalProducer(new ProducerSettings(), "proc.0");
            successor.InitTransactions(Timeout);

            Assert.Throws<KappaFencedException>(() => zombie.Produce(new OutgoingRecord("out", Bytes("x"), Bytes("zombie-late"))));
            Assert.Throws<KappaFencedException>(() => zombie.CommitTransaction(Timeout));
            Assert.Throws<KappaFencedException>(() => zombie.BeginTransaction());

            Transaction(successor, input, "successor", 20, new TopicPartitionOffset("in", 0, 8));
            successor.CommitTransaction(Timeout);
            Assert.Equal(8, input.Committed(new TopicPartition("in", 0)));

            using IKappaConsumer reader = transport.CreateConsumer(new ConsumerSettings { GroupId = "reader", ReadCommitted = false });
            reader.Subscribe(new[] { "out" });
            List<string> values = Drain(reader);
            Assert.Equal(20, values.Count);
            Assert.All(values, v => Assert.StartsWith("successor", v, StringComparison.Ordinal));
            secondEpoch = Batches(transport.Log.GetPartition("out", 0)).Concat(Batches(transport.Log.GetPartition("out", 1))).Max(b => b.ProducerEpoch);
            Assert.Equal(1, secondEpoch);

            // A different transactional id is not affected.
            using ITransactionalProducer other = transport.CreateTransactionalProducer(new ProducerSettings(), "other");
            other.InitTransactions(Timeout);
            other.BeginTransaction();
            other.Produce(new OutgoingRecord("out", Bytes("o"), Bytes("other")));
            successor.BeginTransaction();
            successor.Produce(new OutgoingRecord("out", Bytes("s"), Bytes("successor-2")));
            other.CommitTransaction(Timeout);
            successor.CommitTransaction(Timeout);
        }

        // The epoch is persisted: after a restart the next producer gets a higher one.
        using var reopened = new EmbeddedLogTransport(Options(dir.Path));
        using ITransactionalProducer third = reopened.CreateTransactionalProducer(new ProducerSettings(), "proc.0");
        third.InitTransactions(Timeout);
        third.BeginTransaction();
        third.Produce(new OutgoingRecord("out", Bytes("t"), Bytes("third")) { Partition = 0 });
        third.CommitTransaction(Timeout);
        RecordBatchHeader last = Batches(reopened.Log.GetPartition("out", 0)).Last(b => !b.IsControl);
        Assert.Equal(secondEpoch + 1, last.ProducerEpoch);
    }

    [Fact]
    public void ProducerMisuse_GetsClearErrors()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("out", 1) });
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "p");
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => producer.BeginTransaction());
        Assert.Contains("InitTransactions", e.Message, StringComparison.Ordinal);
        producer.InitTransactions(Timeout);
        e = Assert.Throws<InvalidOperationException>(() => producer.Produce(new OutgoingRecord("out", Bytes("k"), Bytes("v"))));
        Assert.Contains("BeginTransaction", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => transport.CreateTransactionalProducer(new ProducerSettings(), " "));
        producer.BeginTransaction();
        using IKappaConsumer c = transport.CreateConsumer(new ConsumerSettings { GroupId = "g" });
        Assert.Throws<KappaTransportException>(() => producer.SendOffsetsToTransaction(new[] { new TopicPartitionOffset("missing", 0, 1) }, c, Timeout));
    }

    [Fact]
    public void Recovery_RollsBackAPreparedTransaction_OnEveryPartition_AndOnlyOnce()
    {
        using var dir = new TempDir();
        long[] committedEnds;
        using (var transport = new EmbeddedLogTransport(Options(dir.Path)))
        {
            transport.EnsureTopics(new[] { new TopicSpec("in", 1), new TopicSpec("a", 2), new TopicSpec("b", 1) });
            using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = "proc" });
            using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "w");
            producer.InitTransactions(Timeout);
            producer.BeginTransaction();
            for (int i = 0; i < 30; i++)
            {
                producer.Produce(new OutgoingRecord(i % 3 == 0 ? "b" : "a", Bytes($"k{i}"), Bytes($"good{i}")));
            }

            producer.SendOffsetsToTransaction(new[] { new TopicPartitionOffset("in", 0, 30) }, input, Timeout);
            producer.CommitTransaction(Timeout);
            committedEnds = Ends(transport.Log);

            // A crash in the middle of the next commit: the Prepare record is written, then part of the batches
            // (including an offsets record), and the process dies before the Committed record.
            EmbeddedLog log = transport.Log;
            var positions = new[]
            {
                new TopicPartitionOffset("a", 0, log.GetPartition("a", 0).LogEndOffset),
                new TopicPartitionOffset("a", 1, log.GetPartition("a", 1).LogEndOffset),
                new TopicPartitionOffset("b", 0, log.GetPartition("b", 0).LogEndOffset),
                new TopicPartitionOffset(KappaNames.ConsumerOffsetsTopic, 0, log.GetPartition(KappaNames.ConsumerOffsetsTopic, 0).LogEndOffset),
            };
            lock (log.Transactions.SyncRoot)
            {
                log.Transactions.WriteLocked(new TransactionRecord("w", 0, 0, TransactionStatus.Prepare, 1, positions), durable: true);
            }

            AppendBatch(log.GetPartition("a", 0), new List<(byte[]?, byte[]?, long)> { (Bytes("x"), Bytes("torn1"), 1), (Bytes("y"), Bytes("torn2"), 1) });
            AppendBatch(log.GetPartition("b", 0), new List<(byte[]?, byte[]?, long)> { (Bytes("z"), Bytes("torn3"), 1) });
            using (var b = new RecordBatchBuilder())
            {
                Kappa.Log.Transport.OffsetStore.AppendRecord(b, "proc", new TopicPartitionOffset("in", 0, 99), 1);
                log.GetPartition(KappaNames.ConsumerOffsetsTopic, 0).Append(b.Finish());
            }

            log.Abandon();
        }

        var logger = new ListLogger();
        using (var transport = new EmbeddedLogTransport(Options(dir.Path, logger: logger)))
        {
            Assert.Equal(1, transport.Log.Transactions.RolledBackOnOpen);
            Assert.Equal(committedEnds, Ends(transport.Log));
            using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = "proc" });
            Assert.Equal(30, input.Committed(new TopicPartition("in", 0)));
            Assert.Contains(logger.Messages, m => m.Contains("rolling back", StringComparison.Ordinal));

            // New work after the rollback reuses the offsets and must survive the next open.
            using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "w");
            producer.InitTransactions(Timeout);
            producer.BeginTransaction();
            producer.Produce(new OutgoingRecord("a", Bytes("n"), Bytes("after")) { Partition = 0 });
            producer.CommitTransaction(Timeout);
        }

        using (var transport = new EmbeddedLogTransport(Options(dir.Path)))
        {
            Assert.Equal(0, transport.Log.Transactions.RolledBackOnOpen);
            List<TestRecord> a0 = ReadAll(transport.Log.GetPartition("a", 0));
            Assert.Equal("after", System.Text.Encoding.UTF8.GetString(a0[^1].Value!));
            Assert.DoesNotContain(a0, r => System.Text.Encoding.UTF8.GetString(r.Value!).StartsWith("torn", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void FailedCommit_LeavesNoPartOfTheTransaction_AndTheProducerCarriesOn()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("in", 1), new TopicSpec("a", 1), new TopicSpec("z", 1) });
        using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = "proc" });
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "w");
        producer.InitTransactions(Timeout);
        producer.BeginTransaction();
        producer.Produce(new OutgoingRecord("a", Bytes("k"), Bytes("a-1")));
        producer.Produce(new OutgoingRecord("z", Bytes("k"), Bytes("z-1")));
        producer.SendOffsetsToTransaction(new[] { new TopicPartitionOffset("in", 0, 1) }, input, Timeout);

        // The last partition in lock order fails (closed) after the offsets and "a" partitions were locked.
        transport.Log.GetPartition("z", 0).Dispose();
        KappaTransportException e = Assert.Throws<KappaTransportException>(() => producer.CommitTransaction(Timeout));
        Assert.Contains("rolled back", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, transport.Log.GetPartition("a", 0).LogEndOffset);
        Assert.Null(input.Committed(new TopicPartition("in", 0)));
        producer.AbortTransaction(Timeout); // what a caller does after a failed commit (Kafka's rule); nothing left to undo

        producer.BeginTransaction();
        producer.Produce(new OutgoingRecord("a", Bytes("k"), Bytes("a-2")));
        producer.SendOffsetsToTransaction(new[] { new TopicPartitionOffset("in", 0, 2) }, input, Timeout);
        producer.CommitTransaction(Timeout);
        Assert.Equal(new[] { "a-2" }, ReadAll(transport.Log.GetPartition("a", 0)).Select(r => System.Text.Encoding.UTF8.GetString(r.Value!)));
        Assert.Equal(2, input.Committed(new TopicPartition("in", 0)));
    }

    [Fact]
    public void RolledBackUnpublishedBatches_AreNeverSeen_AndATailReaderFollowsTheReplacedSegment()
    {
        using var dir = new TempDir();
        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path));
        log.EnsureTopic("t", new TopicConfig(1));
        PartitionLog p = log.GetPartition("t", 0);
        AppendBatch(p, new List<(byte[]?, byte[]?, long)> { (Bytes("k"), Bytes("before"), 1) });
        using PartitionReader reader = p.OpenReader(0);
        Assert.Single(Values(reader));

        long start = p.BeginTransactionalAppend(1024);
        using (var b = new RecordBatchBuilder())
        {
            b.Append(1, Bytes("k"), false, Bytes("rolled-back"), false, default);
            p.AppendUnpublished(b.Finish());
        }

        Assert.Empty(Values(reader));
        Assert.Equal(1, p.LogEndOffset);
        p.EndTransactionalAppend(publish: false, start);

        AppendBatch(p, new List<(byte[]?, byte[]?, long)> { (Bytes("k"), Bytes("after"), 2) });
        Assert.Equal(new[] { "after" }, Values(reader));
        Assert.Equal(new[] { "before", "after" }, Values(p.OpenReader(0)));
        Assert.Equal(2, p.LogEndOffset);
    }

    private static List<string> Values(PartitionReader reader)
    {
        var values = new List<string>();
        while (reader.TryRead(out BatchRecord r))
        {
            values.Add(System.Text.Encoding.UTF8.GetString(r.Value));
        }

        return values;
    }

    [Fact]
    public void ManyTransactions_AcrossRolledSegments_ReadBackInOrder()
    {
        using var dir = new TempDir();
        EmbeddedLogOptions options = Options(dir.Path);
        options.SegmentBytes = 64 * 1024;
        using var transport = new EmbeddedLogTransport(options);
        transport.EnsureTopics(new[] { new TopicSpec("in", 1), new TopicSpec("out", 2) });
        using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = "proc" });
        using IKappaConsumer reader = transport.CreateConsumer(new ConsumerSettings { GroupId = "reader" });
        reader.Subscribe(new[] { "out" });
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "w");
        producer.InitTransactions(Timeout);
        var random = new Random(11);
        int expected = 0;
        var seen = new List<string>();
        for (int t = 0; t < 60; t++)
        {
            producer.BeginTransaction();
            int n = random.Next(1, 400);
            for (int i = 0; i < n; i++)
            {
                producer.Produce(new OutgoingRecord("out", Bytes($"k{i % 17}"), Bytes($"{t}:{i}:{new string('x', 60)}")));
            }

            producer.SendOffsetsToTransaction(new[] { new TopicPartitionOffset("in", 0, t + 1) }, input, Timeout);
            if (t % 4 == 1)
            {
                producer.AbortTransaction(Timeout);
            }
            else
            {
                producer.CommitTransaction(Timeout);
                expected += n;
            }

            seen.AddRange(Drain(reader));
        }

        Assert.True(transport.Log.GetPartition("out", 0).SegmentCount > 3);
        Assert.Equal(expected, seen.Count);
        Assert.DoesNotContain(seen, v => int.Parse(v.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture) % 4 == 1);
        Assert.Equal(60, input.Committed(new TopicPartition("in", 0)));
    }

    internal static void Transaction(ITransactionalProducer producer, IKappaConsumer input, string prefix, int records, params TopicPartitionOffset[] offsets)
    {
        producer.BeginTransaction();
        for (int i = 0; i < records; i++)
        {
            producer.Produce(new OutgoingRecord("out", Bytes($"k{i}"), Bytes($"{prefix}-{i}")));
        }

        producer.SendOffsetsToTransaction(offsets, input, Timeout);
    }

    internal static List<string> Drain(IKappaConsumer consumer)
    {
        var values = new List<string>();
        while (consumer.TryConsume(TimeSpan.FromMilliseconds(20), out ConsumedRecord r))
        {
            values.Add(System.Text.Encoding.UTF8.GetString(r.Value));
        }

        return values;
    }

    internal static List<RecordBatchHeader> Batches(PartitionLog log)
    {
        var result = new List<RecordBatchHeader>();
        foreach (var segment in log.Segments)
        {
            byte[] data = File.ReadAllBytes(segment.LogPath);
            int position = 0;
            while (position < data.Length)
            {
                RecordBatchHeader h = RecordBatch.ReadHeader(data.AsSpan(position));
                Assert.Null(RecordBatch.Validate(data.AsSpan(position, h.TotalSize)));
                result.Add(h);
                position += h.TotalSize;
            }
        }

        return result;
    }

    private static long[] Ends(EmbeddedLog log) => new[]
    {
        log.GetPartition("a", 0).LogEndOffset,
        log.GetPartition("a", 1).LogEndOffset,
        log.GetPartition("b", 0).LogEndOffset,
        log.GetPartition(KappaNames.ConsumerOffsetsTopic, 0).LogEndOffset,
    };
}
