using System.Text;
using Kappa.Avro;
using Kappa.Log;
using Kappa.Processing;
using Kappa.State;
using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>Stateful processors end to end on the embedded log, exactly-once with its atomic transactional commit.</summary>
public class StatefulEmbeddedLogTests
{
    private const string Changelog = "total-units.v1.totals-changelog";

    [Fact]
    public void Restart_on_the_embedded_log_restores_state_and_results_equal_an_uninterrupted_run()
    {
        string dir = NewDir();
        try
        {
            using (var transport = Open(dir))
            {
                transport.EnsureTopics([new TopicSpec("units", 3)]);
                AppendUnits(transport, 0, 150, keys: 9, partitions: 3);
                RunUntil(transport, 150, StatefulTestKit.Options(batch: 20));
            }

            // A new process: the log is reopened, the stores are rebuilt from the changelog.
            using (var transport = Open(dir))
            {
                AppendUnits(transport, 150, 150, keys: 9, partitions: 3);
                RunUntil(transport, 150, StatefulTestKit.Options(batch: 20));
                StatefulRunnerTests.AssertTotals(ReadUnits(transport, "unit-totals.v1"), 300, 9);
                Assert.Equal(StatefulRunnerTests.ExpectedTotals(300, 9), LatestState(transport));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void An_aborted_commit_on_the_embedded_log_is_invisible_and_the_batch_is_redone_exactly_once()
    {
        string dir = NewDir();
        try
        {
            using var log = Open(dir);
            var transport = new FailingCommitTransport(log) { FailCommitNumber = 3 };
            log.EnsureTopics([new TopicSpec("units", 2)]);
            AppendUnits(log, 0, 120, keys: 6, partitions: 2);
            RunUntil(transport, 120, StatefulTestKit.Options(batch: 10));

            Assert.Equal(1, transport.FailedCommits);
            StatefulRunnerTests.AssertTotals(ReadUnits(log, "unit-totals.v1"), 120, 6);
            Assert.Equal(StatefulRunnerTests.ExpectedTotals(120, 6), LatestState(log));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string NewDir() => Path.Combine(Path.GetTempPath(), "kappa-stateful-log", Guid.NewGuid().ToString("N"));

    private static EmbeddedLogTransport Open(string dir) => new(new EmbeddedLogOptions { Directory = dir, FsyncPolicy = FsyncPolicy.Never, MaintenanceInterval = null });

    private static void AppendUnits(IKappaTransport transport, int from, int count, int keys, int partitions)
    {
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        for (int i = from; i < from + count; i++)
        {
            int k = i % keys;
            producer.Produce(new OutgoingRecord("units", StatefulTestKit.Key("k" + k), StatefulTestKit.Unit(i + 1)) { Partition = k % partitions, TimestampMs = 1_000 + i });
        }

        producer.Flush();
    }

    /// <summary>Runs the processor on a worker thread until it committed <paramref name="records"/> more records, then stops it.</summary>
    private static void RunUntil(IKappaTransport transport, long records, ProcessorOptions options)
    {
        var runner = ProcessorRunner.Create(new TotalUnits(), transport, options);
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                runner.Run(stop.Token);
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        worker.Start();
        ProcessorTestKit.WaitUntil(() => runner.RecordsProcessed >= records || failure is not null, $"{records} records are committed");
        stop.Cancel();
        Assert.True(worker.Join(TimeSpan.FromSeconds(30)), "the runner did not stop");
        Assert.Null(failure);
        Assert.Equal(records, runner.RecordsProcessed);
    }

    private static List<(string Key, OrderUnit Value)> ReadUnits(IKappaTransport transport, string topic, bool readCommitted = true) =>
        ReadAll(transport, topic, readCommitted).Where(r => r.Value is not null).Select(r => (Encoding.UTF8.GetString(r.Key), AvroSerializer.Deserialize<OrderUnit>(r.Value!))).ToList();

    private static Dictionary<string, UnitTotals> LatestState(IKappaTransport transport)
    {
        var latest = new Dictionary<string, UnitTotals>(StringComparer.Ordinal);
        foreach (var (key, value) in ReadAll(transport, Changelog, readCommitted: true))
        {
            Assert.NotNull(value);
            latest[Encoding.UTF8.GetString(key)] = StateSerializer.Deserialize<UnitTotals>(value);
        }

        return latest;
    }

    /// <summary>Every record of a topic, partition by partition, in offset order.</summary>
    private static List<(byte[] Key, byte[]? Value)> ReadAll(IKappaTransport transport, string topic, bool readCommitted)
    {
        var result = new List<(byte[], byte[]?)>();
        int partitions = transport.GetPartitionCount(topic) ?? 0;
        for (int p = 0; p < partitions; p++)
        {
            using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "reader", ReadCommitted = readCommitted });
            consumer.Assign([new TopicPartitionOffset(topic, p, 0)]);
            while (consumer.TryConsume(TimeSpan.FromMilliseconds(200), out ConsumedRecord record))
            {
                result.Add((record.Key.ToArray(), record.ValueIsNull ? null : record.Value.ToArray()));
            }
        }

        return result;
    }

    /// <summary>Delegates to a real transport; the N-th transaction commit fails (after the records were written) and must be aborted.</summary>
    private sealed class FailingCommitTransport(IKappaTransport inner) : IKappaTransport
    {
        private int _commits;

        public int FailCommitNumber { get; init; }

        public int FailedCommits { get; private set; }

        public string Description => inner.Description;

        public void EnsureTopics(IReadOnlyCollection<TopicSpec> topics) => inner.EnsureTopics(topics);

        public int? GetPartitionCount(string topic) => inner.GetPartitionCount(topic);

        public WatermarkOffsets GetWatermarks(TopicPartition partition) => inner.GetWatermarks(partition);

        public IKappaConsumer CreateConsumer(ConsumerSettings settings) => inner.CreateConsumer(settings);

        public IKappaProducer CreateProducer(ProducerSettings settings) => inner.CreateProducer(settings);

        public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId) =>
            new Producer(this, inner.CreateTransactionalProducer(settings, transactionalId));

        public void Dispose()
        {
        }

        private sealed class Producer(FailingCommitTransport owner, ITransactionalProducer inner) : ITransactionalProducer
        {
            public void Produce(in OutgoingRecord record) => inner.Produce(in record);

            public void Flush(CancellationToken cancellationToken = default) => inner.Flush(cancellationToken);

            public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);

            public void BeginTransaction() => inner.BeginTransaction();

            public void SendOffsetsToTransaction(IReadOnlyList<TopicPartitionOffset> offsets, IKappaConsumer consumer, TimeSpan timeout) =>
                inner.SendOffsetsToTransaction(offsets, consumer, timeout);

            public void CommitTransaction(TimeSpan timeout)
            {
                if (++owner._commits == owner.FailCommitNumber)
                {
                    owner.FailedCommits++;
                    throw new KappaTransportException("Injected failure: the transaction coordinator did not answer the commit.");
                }

                inner.CommitTransaction(timeout);
            }

            public void AbortTransaction(TimeSpan timeout) => inner.AbortTransaction(timeout);

            public void Dispose() => inner.Dispose();
        }
    }
}
