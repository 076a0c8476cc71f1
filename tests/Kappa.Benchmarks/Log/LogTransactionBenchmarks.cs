using BenchmarkDotNet.Attributes;
using Kappa.Log;
using Kappa.Transport;

namespace Kappa.Benchmarks.Log;

/// <summary>
/// The cost of exactly-once on the embedded log: one processor batch (1,000 records, 100-byte values, keyed over 4
/// partitions) written with a plain producer + Flush (+ an offset commit), versus the same batch in a transaction with its
/// offsets (BeginTransaction, Produce x1000, SendOffsetsToTransaction, CommitTransaction). FsyncPolicy Never, so the figures
/// show CPU and syscall overhead, not disk latency. Retention (run once per 50 batches in every benchmark) keeps the disk use bounded. Per-operation figures are per 1,000-record batch.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LogTransactionBenchmarks
{
    private const int BatchRecords = 1000;
    private const int BatchesPerInvoke = 50;

    private readonly byte[] _value = new byte[100];
    private readonly byte[] _key = new byte[8];
    private string _dir = null!;
    private EmbeddedLogTransport _transport = null!;
    private IKappaProducer _plain = null!;
    private ITransactionalProducer _tx = null!;
    private IKappaConsumer _consumer = null!;
    private long _position;
    private readonly TopicPartitionOffset[] _offsets = new TopicPartitionOffset[1];

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "kappa-log-txn-bench", Guid.NewGuid().ToString("N"));
        _transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = _dir, FsyncPolicy = FsyncPolicy.Never, MaintenanceInterval = null, SegmentBytes = 8 * 1024 * 1024 });
        _transport.EnsureTopics(new[]
        {
            new TopicSpec("in", 1),
            new TopicSpec("out", 4) { RetentionBytes = 64L * 1024 * 1024 },
        });
        _plain = _transport.CreateProducer(new ProducerSettings());
        _tx = _transport.CreateTransactionalProducer(new ProducerSettings(), "bench");
        _tx.InitTransactions(TimeSpan.FromSeconds(10));
        _consumer = _transport.CreateConsumer(new ConsumerSettings { GroupId = "bench" });
        new Random(5).NextBytes(_value);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _tx.Dispose();
        _consumer.Dispose();
        _transport.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Baseline: produce 1,000 records and Flush (at-least-once without offsets).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BatchesPerInvoke)]
    public void PlainFlush()
    {
        for (int b = 0; b < BatchesPerInvoke; b++)
        {
            ProduceBatch(_plain);
            _plain.Flush();
        }

        _transport.RunMaintenance();
    }

    /// <summary>At-least-once as a processor does it without transactions: produce, Flush, commit the input offset.</summary>
    [Benchmark(OperationsPerInvoke = BatchesPerInvoke)]
    public void PlainFlushAndCommitOffsets()
    {
        for (int b = 0; b < BatchesPerInvoke; b++)
        {
            ProduceBatch(_plain);
            _plain.Flush();
            _offsets[0] = new TopicPartitionOffset("in", 0, ++_position);
            _consumer.Commit(_offsets);
        }

        _transport.RunMaintenance();
    }

    /// <summary>Exactly-once: the same batch and the input offset in one transaction.</summary>
    [Benchmark(OperationsPerInvoke = BatchesPerInvoke)]
    public void Transaction()
    {
        for (int b = 0; b < BatchesPerInvoke; b++)
        {
            _tx.BeginTransaction();
            ProduceBatch(_tx);
            _offsets[0] = new TopicPartitionOffset("in", 0, ++_position);
            _tx.SendOffsetsToTransaction(_offsets, _consumer, TimeSpan.FromSeconds(10));
            _tx.CommitTransaction(TimeSpan.FromSeconds(10));
        }

        _transport.RunMaintenance();
    }

    private void ProduceBatch(IKappaProducer producer)
    {
        for (int i = 0; i < BatchRecords; i++)
        {
            _key[0] = (byte)i;
            _key[1] = (byte)(i >> 8);
            producer.Produce(new OutgoingRecord("out", _key, _value) { TimestampMs = 1_700_000_000_000 + i });
        }
    }
}
