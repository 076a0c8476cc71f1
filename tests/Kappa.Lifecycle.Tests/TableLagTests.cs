using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Kappa.Processing;
using Kappa.Sinks;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests;

/// <summary>
/// A version is caught up, and can be promoted, only when its tables are too: a processor that has read all its input
/// while its sink writer is still filling the table is not ready to serve. The tables' lag is measured from the
/// database's committed offsets, past the transaction markers that end the output topics.
/// </summary>
public sealed class TableLagTests
{
    [Theory]
    [InlineData(TransportKind.EmbeddedLog, DatabaseKind.Sqlite)]
    [InlineData(TransportKind.KafkaMock, DatabaseKind.PostgreSql)]
    public void AVersionWhoseTableIsStillFillingIsNotCaughtUpAndItsPromoteIsRefused(TransportKind transportKind, DatabaseKind databaseKind)
    {
        using var transport = TestTransport.Create(transportKind);
        using var db = TestDatabase.Create(databaseKind);
        var lifecycle = new KappaLifecycle(transport.Transport, db.Database, new LifecycleOptions { Instance = "test-operator" });
        Sales.Produce(transport.Transport, 0, 300);
        lifecycle.Deploy(AmountsV1.KappaDescriptor);
        var target = new SinkTarget(AmountsV1.Sink, 1);

        // The processor runs alone: it catches up, its table is empty.
        using VersionRun<CustomerAmount> v1 = VersionRun<CustomerAmount>.Start(new AmountsV1(), transport.Transport, db.Database, startWriter: false, guarantee: ProcessingGuarantee.ExactlyOnce);
        Wait.Until(() => lifecycle.Status().Processors[0].Versions[0].Lag, lag => lag == 0, "v1's processor caught up", check: v1.ThrowIfFailed);
        long outputs = Enumerable.Range(0, transport.Transport.GetPartitionCount(target.Topic) ?? 0).Sum(p => transport.Transport.GetWatermarks(new TopicPartition(target.Topic, p)).High);
        Assert.True(outputs > 0, "v1 wrote no outputs");
        Assert.True(lifecycle.Verify(() => new AmountsV1()).Passed);

        Assert.Empty(lifecycle.ObserveCaughtUp());
        Assert.Equal(VersionState.Replaying, lifecycle.Registry.Read().Processors[AmountsV1.Name].Find(1)!.State);
        var refused = Assert.Throws<LifecycleRefusedException>(() => lifecycle.Promote(AmountsV1.Name, 1));
        Assert.Contains("its tables are not caught up", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("it is not caught up", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not verified", refused.Message, StringComparison.Ordinal);
        Assert.Null(db.Database.GetServingVersion(AmountsV1.Sink));

        // The writer fills the table: the version is caught up and promoted.
        v1.StartWriter();
        Wait.CaughtUp(lifecycle, 1, v1.ThrowIfFailed);
        PromoteResult promoted = lifecycle.Promote(AmountsV1.Name, 1);
        Assert.Equal(1, promoted.Serving);
        Assert.Contains("tables 0", promoted.Transition.Reason, StringComparison.Ordinal);

        // The table's committed offsets stop short of the topics' ends (each transaction ends with a marker no reader is
        // given): the measure read past them and found nothing left.
        IReadOnlyDictionary<int, long> committed = db.Database.GetCommittedOffsets(target);
        long markers = Enumerable.Range(0, transport.Transport.GetPartitionCount(target.Topic)!.Value)
            .Sum(p => transport.Transport.GetWatermarks(new TopicPartition(target.Topic, p)).High - committed.GetValueOrDefault(p));
        Assert.True(markers > 0, "the output topics end with no transaction marker: the test no longer shows the marker-aware count");
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.PostgreSql)]
    public void TheCommittedOffsetsOfATableAreWhatItsWriterCommitted(DatabaseKind databaseKind)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(databaseKind);
        var target = new SinkTarget(AmountsV1.Sink, 1);
        Assert.Empty(db.Database.GetCommittedOffsets(target));

        Sales.Produce(transport.Transport, 0, 200);
        var lifecycle = new KappaLifecycle(transport.Transport, db.Database);
        lifecycle.Deploy(AmountsV1.KappaDescriptor);
        using VersionRun<CustomerAmount> v1 = VersionRun<CustomerAmount>.Start(new AmountsV1(), transport.Transport, db.Database);
        Wait.Until(() => lifecycle.Status().Processors[0].Versions[0].Lag, lag => lag == 0, "v1's processor caught up", check: v1.ThrowIfFailed);
        Wait.TableCaughtUp(lifecycle, 1, v1.ThrowIfFailed);
        v1.Stop();

        IReadOnlyDictionary<int, long> committed = db.Database.GetCommittedOffsets(target);
        int partitions = transport.Transport.GetPartitionCount(target.Topic)!.Value;
        Assert.Equal(Enumerable.Range(0, partitions).Where(p => transport.Transport.GetWatermarks(new TopicPartition(target.Topic, p)).High > 0), committed.Keys.Order());
        Assert.NotEmpty(committed);
        foreach ((int partition, long next) in committed)
        {
            WatermarkOffsets marks = transport.Transport.GetWatermarks(new TopicPartition(target.Topic, partition));
            Assert.InRange(next, marks.Low + 1, marks.High);
        }

        Assert.Empty(db.Database.GetCommittedOffsets(new SinkTarget(AmountsV1.Sink, 2)));
        db.Database.DropTable(target);
        Assert.Empty(db.Database.GetCommittedOffsets(target));
    }
}

/// <summary>
/// <see cref="SinkTableLag"/> on a topic of two committed transactions, each followed by its commit marker. (Aborted
/// records are not covered here: the embedded log never appends them, and the librdkafka mock delivers them to
/// read_committed consumers; see docs/kafka.md.)
/// </summary>
public sealed class SinkTableLagMeasureTests
{
    private static readonly SinkTarget Target = new(AmountsV1.Sink, 1);

    [Theory]
    [InlineData(TransportKind.EmbeddedLog)]
    [InlineData(TransportKind.KafkaMock)]
    public void RecordsPastTheCommittedOffsetAreCountedPastTheMarkersUpToTheThreshold(TransportKind transportKind)
    {
        using var transport = TestTransport.Create(transportKind);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        Assert.Equal(0, Measure(transport, db, threshold: 0)); // no topic: nothing to apply

        // Offsets 0-4: a transaction's records, 5 its marker; 6-8 the next one's, 9 its marker.
        transport.Transport.EnsureTopics([new TopicSpec(Target.Topic, 1)]);
        using (ITransactionalProducer producer = transport.Transport.CreateTransactionalProducer(new ProducerSettings(), "table-lag-test"))
        {
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            Produce(producer, 5);
            Produce(producer, 3);
        }

        const long end = 10;
        Assert.Equal(end, transport.Transport.GetWatermarks(new TopicPartition(Target.Topic, 0)).High);

        // Nothing committed by the table: eight records are left.
        Assert.Equal(8, Measure(transport, db, threshold: 8));
        Assert.Equal(end, Measure(transport, db, threshold: 7)); // over the threshold: the bound
        Assert.Equal(end, Measure(transport, db, threshold: 1_000)); // the bound is under the threshold: nothing read

        // The table committed 0-2: 3, 4, 6, 7 and 8 are left.
        Commit(db, 3);
        Assert.Equal(5, Measure(transport, db, threshold: 5));
        Assert.Equal(end - 3, Measure(transport, db, threshold: 4));

        // The table committed every record: only the last marker follows, so nothing is left.
        Commit(db, 9);
        Assert.Equal(0, Measure(transport, db, threshold: 0));
    }

    private static long Measure(TestTransport transport, TestDatabase db, long threshold) =>
        SinkTableLag.Measure(transport.Transport, db.Database, Target, threshold, TimeSpan.FromSeconds(30));

    private static void Produce(ITransactionalProducer producer, int count)
    {
        producer.BeginTransaction();
        for (int i = 0; i < count; i++)
        {
            producer.Produce(new OutgoingRecord(Target.Topic, [(byte)i], [1, 2, 3]) { Partition = 0 });
        }

        producer.Flush();
        producer.CommitTransaction(TimeSpan.FromSeconds(30));
    }

    private static void Commit(TestDatabase db, long next)
    {
        Assert.NotNull(db.Database.GetCommittedOffsets(Target)); // creates the offsets table
        db.Execute($"INSERT INTO {db.Relation("_kappa_offsets")} (table_name, topic, partition, next_offset) VALUES ({TestDatabase.Literal(Target.Table)}, {TestDatabase.Literal(Target.Topic)}, 0, {next}) ON CONFLICT (table_name, topic, partition) DO UPDATE SET next_offset = excluded.next_offset");
        Assert.Equal(next, db.Database.GetCommittedOffsets(Target)[0]);
    }
}
