using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Kappa.Sinks.Tests.Infrastructure;
using Kappa.SinkHost.Records;

namespace Kappa.Sinks.Tests;

/// <summary>
/// <see cref="ISinkDatabase.SwitchServingViews"/> switches the views of several sinks in one transaction: readers that
/// read both views inside one read transaction, in either order, while the pair is switched back and forth between v1
/// and v2, always see both on v1 or both on v2, never one of each, and never an error. A switch with a missing table
/// switches nothing.
/// </summary>
public sealed class AtomicSwitchTests
{
    // Row counts that tell the versions apart: ledger v1 200 / v2 500, journal v1 300 / v2 700.
    private static readonly (long Ledger, long Journal) AllV1 = (200, 300);
    private static readonly (long Ledger, long Journal) AllV2 = (500, 700);

    private const int Switches = 200;

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.PostgreSql)]
    public void ReadersOfTwoViewsInOneTransactionNeverSeeOneVersionInOneAndTheOtherInTheOther(DatabaseKind kind)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(kind);
        SinkTarget[] v1 = [new("ledger", 1), new("journal", 1)];
        SinkTarget[] v2 = [new("ledger", 2), new("journal", 2)];
        Materialize(transport, db, (v1[0], AllV1.Ledger), (v1[1], AllV1.Journal), (v2[0], AllV2.Ledger), (v2[1], AllV2.Journal));
        db.Database.SwitchServingViews(v1);

        var errors = new ConcurrentQueue<string>();
        var stop = new ManualResetEventSlim();
        long reads = 0, onV1 = 0, onV2 = 0, switches = 0;
        string ledger = $"SELECT count(*) FROM {db.Relation(v1[0].View)}";
        string journal = $"SELECT count(*) FROM {db.Relation(v1[1].View)}";
        var threads = new List<Thread>();
        for (int r = 0; r < 4; r++)
        {
            bool ledgerFirst = r % 2 == 0;
            IsolationLevel isolation = r < 2 ? IsolationLevel.RepeatableRead : IsolationLevel.ReadCommitted;
            threads.Add(new Thread(() =>
            {
                using DbConnection connection = db.Open();
                while (!stop.IsSet)
                {
                    try
                    {
                        // SQLite: a deferred transaction reads one WAL snapshot from its first read on (Microsoft.Data.Sqlite's default is IMMEDIATE, a writer's).
                        using DbTransaction transaction = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true) : connection.BeginTransaction(isolation);
                        long first = Count(connection, transaction, ledgerFirst ? ledger : journal);
                        Thread.SpinWait(2_000); // widen the window between the two reads, where a switch could land
                        long second = Count(connection, transaction, ledgerFirst ? journal : ledger);
                        transaction.Commit();
                        (long Ledger, long Journal) seen = ledgerFirst ? (first, second) : (second, first);
                        if (seen == AllV1)
                        {
                            Interlocked.Increment(ref onV1);
                        }
                        else if (seen == AllV2)
                        {
                            Interlocked.Increment(ref onV2);
                        }
                        else
                        {
                            errors.Enqueue($"one read transaction saw ledger {seen.Ledger} rows and journal {seen.Journal} rows (v1 is {AllV1}, v2 is {AllV2})");
                        }

                        Interlocked.Increment(ref reads);
                        Thread.Sleep(1); // readers come and go; back to back in both orders they could starve the switch (it gives way to them)
                    }
                    catch (Exception error)
                    {
                        errors.Enqueue($"reader: {error.GetType().Name}: {error.Message}");
                    }
                }
            }) { IsBackground = true, Name = "view reader " + r });
        }

        threads.ForEach(t => t.Start());
        for (int i = 0; i < Switches; i++)
        {
            try
            {
                db.Database.SwitchServingViews(i % 2 == 0 ? v2 : v1);
                switches++;
            }
            catch (Exception error)
            {
                errors.Enqueue($"switch: {error.GetType().Name}: {error.Message}");
            }

            Thread.Sleep(1);
        }

        stop.Set();
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a reader did not stop"));
        Assert.True(errors.IsEmpty, $"{errors.Count} errors, first: {string.Join("\n", errors.Take(5))}");
        Assert.Equal(Switches, switches);
        Assert.True(reads > 100, $"only {reads} reads");
        Assert.True(onV1 > 0 && onV2 > 0, $"the readers never saw one of the versions (v1 {onV1}, v2 {onV2})");
        Assert.Equal(1, db.Database.GetServingVersion("ledger"));
        Assert.Equal(1, db.Database.GetServingVersion("journal"));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.PostgreSql)]
    public void ASwitchWithAMissingTableSwitchesNothing(DatabaseKind kind)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(kind);
        using var elsewhere = TestDatabase.Create(kind);
        var ledger1 = new SinkTarget("ledger", 1);
        var journal1 = new SinkTarget("journal", 1);
        var ledger2 = new SinkTarget("ledger", 2);
        var journal2 = new SinkTarget("journal", 2);
        Materialize(transport, db, (ledger1, 10), (journal1, 20), (ledger2, 30));
        Materialize(transport, elsewhere, (journal2, 40));
        db.Database.SwitchServingViews([ledger1, journal1]);

        var error = Assert.Throws<InvalidOperationException>(() => db.Database.SwitchServingViews([ledger2, journal2]));
        Assert.Contains("journal_v2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was switched", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, db.Database.GetServingVersion("ledger"));
        Assert.Equal(1, db.Database.GetServingVersion("journal"));
        Assert.Equal(10, db.Scalar($"SELECT count(*) FROM {db.Relation(ledger1.View)}"));
        Assert.Equal(20, db.Scalar($"SELECT count(*) FROM {db.Relation(journal1.View)}"));
    }

    [Fact]
    public void TwoTablesForOneViewAreRefused()
    {
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        var error = Assert.Throws<ArgumentException>(() => db.Database.SwitchServingViews([new SinkTarget("ledger", 1), new SinkTarget("ledger", 2)]));
        Assert.Contains("ledger_v1 and ledger_v2", error.Message, StringComparison.Ordinal);
    }

    private static long Count(DbConnection connection, DbTransaction transaction, string sql)
    {
        using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Writes each target's table with that many entries and stops its writer once it caught up.</summary>
    private static void Materialize(TestTransport transport, TestDatabase db, params (SinkTarget Target, long Count)[] tables)
    {
        var random = new Random(12);
        foreach ((SinkTarget target, long count) in tables)
        {
            Workload.ProduceEntries(transport.Transport, target.Topic, 2, Enumerable.Range(0, (int)count).Select(n => Workload.Entry(n, random)));
            using var writer = new WriterRun<LedgerEntry>(transport.Transport, db, target, MaterializationTests.Options(maxBatch: 64));
            writer.WaitCaughtUp();
            writer.Stop();
        }
    }
}
