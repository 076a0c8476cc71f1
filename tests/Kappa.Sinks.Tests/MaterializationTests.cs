using Kappa.Sinks.Tests.Infrastructure;
using Kappa.SinkHost.Records;

namespace Kappa.Sinks.Tests;

/// <summary>
/// The table equals what the topic says, computed independently (<see cref="TopicTruth"/>): the latest value per key
/// for upsert tables, every record for append tables; on both databases, on both transports, with several partitions.
/// </summary>
public sealed class MaterializationTests
{
    public static TheoryData<DatabaseKind, TransportKind> Combinations => new()
    {
        { DatabaseKind.Sqlite, TransportKind.EmbeddedLog },
        { DatabaseKind.PostgreSql, TransportKind.EmbeddedLog },
        { DatabaseKind.Sqlite, TransportKind.KafkaMock },
        { DatabaseKind.PostgreSql, TransportKind.KafkaMock },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void UpsertTable_HoldsTheLatestValuePerKey_AndTombstonesDelete(DatabaseKind databaseKind, TransportKind transportKind)
    {
        using var transport = TestTransport.Create(transportKind);
        using var db = TestDatabase.Create(databaseKind);
        var target = new SinkTarget("positions", 1);
        Workload.ProducePositions(transport.Transport, target.Topic, partitions: 4, records: 1500, accounts: 150, seed: 1);
        using var run = new WriterRun<Position>(transport.Transport, db, target, Options(maxBatch: 97));
        run.WaitCaughtUp();
        Rows.AssertSame(Rows.ExpectedPositions(TopicTruth.ReadAll<Position>(transport.Transport, target.Topic)), Rows.Positions(db, target.Table), "after the first wave");

        // More records while the writer runs: it keeps up and the table follows.
        Workload.ProducePositions(transport.Transport, target.Topic, partitions: 4, records: 700, accounts: 150, seed: 2);
        run.WaitCaughtUp();
        List<string[]> expected = Rows.ExpectedPositions(TopicTruth.ReadAll<Position>(transport.Transport, target.Topic));
        Rows.AssertSame(expected, Rows.Positions(db, target.Table), "after the second wave");
        Assert.True(expected.Count is > 50 and < 150, $"the workload should leave some keys deleted and most present, left {expected.Count}");

        db.Database.SwitchServingView(target);
        Rows.AssertSame(expected, Rows.Positions(db, target.View), "through the serving view");
        run.Stop();
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void AppendTable_HoldsEveryRecordOnce(DatabaseKind databaseKind, TransportKind transportKind)
    {
        using var transport = TestTransport.Create(transportKind);
        using var db = TestDatabase.Create(databaseKind);
        var target = new SinkTarget("ledger", 3);
        var random = new Random(3);
        Workload.ProduceEntries(transport.Transport, target.Topic, 3, Enumerable.Range(0, 1200).Select(i => Workload.Entry(i, random)));
        using (var first = new WriterRun<LedgerEntry>(transport.Transport, db, target, Options(maxBatch: 101)))
        {
            first.WaitCaughtUp();
            first.Stop();
        }

        // A restarted writer resumes from the offsets in the database: nothing doubled, nothing missing.
        Workload.ProduceEntries(transport.Transport, target.Topic, 3, Enumerable.Range(1200, 800).Select(i => Workload.Entry(i, random)));
        using var second = new WriterRun<LedgerEntry>(transport.Transport, db, target, Options(maxBatch: 1000));
        second.WaitCaughtUp();
        List<string[]> expected = Rows.ExpectedEntries(TopicTruth.ReadAll<LedgerEntry>(transport.Transport, target.Topic));
        Assert.Equal(2000, expected.Count);
        Rows.AssertSame(expected, Rows.Entries(db, target.Table), "append table");
        second.Stop();
    }

    internal static SinkWriterOptions Options(int maxBatch) => new()
    {
        MaxBatchRecords = maxBatch,
        MaxBatchDelay = TimeSpan.FromMilliseconds(20),
        RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(500),
        LagInterval = TimeSpan.FromMilliseconds(20),
    };
}
