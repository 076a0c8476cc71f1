using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Kappa.Sinks.Tests.Infrastructure;
using Kappa.SinkHost.Records;

namespace Kappa.Sinks.Tests;

/// <summary>
/// <see cref="ISinkDatabase.SwitchServingViews"/> switches the views of several sinks in one transaction: readers that
/// read both views in one snapshot, in either order, while the pair is switched back and forth between v1 and v2, always
/// see both on v1 or both on v2, never one of each, and never an error. One snapshot: on SQLite a deferred read
/// transaction; on PostgreSQL one statement under READ COMMITTED, or two statements under REPEATABLE READ. The negative
/// control switches the two views one after the other (two transactions) and the same readers see mixes, so the check
/// can fail. Column changes keep it: journal v2 with one more column or one less is prepared (on PostgreSQL its table
/// joins the routed view, the view's columns becoming the union) while the readers read, every switch is then an UPDATE,
/// and retiring v1 at the end (which takes a dropped column out of the view) fails no reader either; journal v2 with a
/// wider amount is prepared while the readers read too (the view rebuilt with the wider type: DDL, at the prepare), and
/// every switch is then an UPDATE. A switch with a missing table switches nothing.
/// </summary>
public sealed class AtomicSwitchTests
{
    private const int Switches = 200;

    public enum Journal
    {
        /// <summary>journal v2 has v1's columns: on PostgreSQL every switch is an UPDATE of the serving records (routed views).</summary>
        SameColumns,

        /// <summary>journal v2 is another record type whose column types the view cannot hold: on PostgreSQL journal switches by DDL, ledger by its record, in one transaction.</summary>
        ColumnChange,

        /// <summary>journal v2 has one more column (region): on PostgreSQL prepared, the view's columns becoming the union; every switch an UPDATE.</summary>
        AddedColumn,

        /// <summary>journal v2 has no memo column: on PostgreSQL prepared, memo staying in the view until v1 is retired; every switch an UPDATE.</summary>
        DroppedColumn,

        /// <summary>journal v2's amount is numeric(12,2) (v1: numeric(7,2)): on PostgreSQL prepared, the view rebuilt with the wider type while the readers read; every switch an UPDATE.</summary>
        WidenedColumn,
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite, Journal.SameColumns)]
    [InlineData(DatabaseKind.PostgreSql, Journal.SameColumns)]
    [InlineData(DatabaseKind.PostgreSql, Journal.ColumnChange)]
    [InlineData(DatabaseKind.Sqlite, Journal.AddedColumn)]
    [InlineData(DatabaseKind.PostgreSql, Journal.AddedColumn)]
    [InlineData(DatabaseKind.Sqlite, Journal.DroppedColumn)]
    [InlineData(DatabaseKind.PostgreSql, Journal.DroppedColumn)]
    [InlineData(DatabaseKind.PostgreSql, Journal.WidenedColumn)]
    public void ReadersOfTwoViewsInOneSnapshotNeverSeeOneVersionInOneAndTheOtherInTheOther(DatabaseKind kind, Journal journal)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(kind);
        (SinkTarget[] v1, SinkTarget[] v2, Counts counts) = Versions(transport, db, journal);
        db.Database.SwitchServingViews(v1);

        // A DDL switch waits for an instant when no reader holds either view: fewer of them keep the test short.
        int planned = kind == DatabaseKind.PostgreSql && journal == Journal.ColumnChange ? Switches / 2 : Switches;
        int switches = 0;
        bool retire = journal == Journal.DroppedColumn;
        Observed seen = ReadWhile(db, counts, observed =>
        {
            db.Database.PrepareServingViews(v2); // what the lifecycle does when v2 is caught up, while readers read
            for (int i = 0; i < planned; i++)
            {
                db.Database.SwitchServingViews(i % 2 == 0 ? v2 : v1);
                switches++;
                Thread.Sleep(1);
            }

            if (retire)
            {
                // Promote v2, let every reader finish a read that began after it (a snapshot older than the promote cannot
                // read a retired table), then retire v1 while they read: journal's view loses memo (DDL).
                db.Database.SwitchServingViews(v2);
                observed.WaitForEveryReader(reads: 2);
                foreach (SinkTarget target in v1)
                {
                    db.Database.DropTable(target);
                }

                observed.WaitForEveryReader(reads: 2);
            }
        });

        Assert.True(seen.Errors.IsEmpty, $"{seen.Errors.Count} errors, first: {string.Join("\n", seen.Errors.Take(5))}");
        Assert.True(seen.Mixes.IsEmpty, $"{seen.Mixes.Count} reads saw a mix of versions, first: {string.Join("\n", seen.Mixes.Take(5))}");
        Assert.Equal(planned, switches);
        Assert.True(seen.Reads > 100, $"only {seen.Reads} reads");
        Assert.True(seen.OnV1 > 0 && seen.OnV2 > 0, $"the readers never saw one of the versions (v1 {seen.OnV1}, v2 {seen.OnV2})");
        Assert.All(seen.ByReader, r => Assert.True(r.Value > 0, $"reader '{r.Key}' never read"));
        Assert.Equal(retire ? 2 : 1, db.Database.GetServingVersion("ledger"));
        Assert.Equal(retire ? 2 : 1, db.Database.GetServingVersion("journal"));
        string[] columns = ViewColumns(db, "journal");
        switch (journal)
        {
            case Journal.AddedColumn:
                // SQLite's view has the serving table's columns; PostgreSQL's routed view the union, region NULL on v1.
                Assert.Equal(kind == DatabaseKind.PostgreSql ? ["entry_id", "account", "amount", "memo", "region"] : ["entry_id", "account", "amount", "memo"], columns);
                if (kind == DatabaseKind.PostgreSql)
                {
                    Assert.Equal(["journal_v1", "journal_v2"], RoutedSwitchTests.ViewReads(db, "journal"));
                }

                break;
            case Journal.DroppedColumn:
                Assert.Equal(["entry_id", "account", "amount"], columns);
                Assert.False(db.TableExists(v1[1].Table));
                break;
            case Journal.WidenedColumn:
                Assert.Equal(["journal_v1", "journal_v2"], RoutedSwitchTests.ViewReads(db, "journal"));
                Assert.Equal(["numeric(12,2)"], db.Query($"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '{db.Relation("journal")}'::regclass AND attname = 'amount'", [TableColumnType.Text]).Select(r => r[0]));
                break;
        }
    }

    /// <summary>
    /// The negative control: the same readers, while each view is switched in a transaction of its own (with journal v2's
    /// added or widened column prepared first: each switch an UPDATE, yet two of them).
    /// </summary>
    [Theory]
    [InlineData(DatabaseKind.Sqlite, Journal.SameColumns)]
    [InlineData(DatabaseKind.PostgreSql, Journal.SameColumns)]
    [InlineData(DatabaseKind.PostgreSql, Journal.AddedColumn)]
    [InlineData(DatabaseKind.PostgreSql, Journal.WidenedColumn)]
    public void SwitchingTheViewsOneAfterTheOtherLetsTheSameReadersSeeAMix(DatabaseKind kind, Journal journal)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(kind);
        (SinkTarget[] v1, SinkTarget[] v2, Counts counts) = Versions(transport, db, journal);
        db.Database.SwitchServingViews(v1);
        db.Database.PrepareServingViews(v2);

        int switches = 0;
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        var mixed = new ManualResetEventSlim();
        Observed seen = ReadWhile(db, counts, _ =>
        {
            for (int i = 0; i < 5_000 && DateTime.UtcNow < deadline && !mixed.IsSet; i++)
            {
                foreach (SinkTarget target in i % 2 == 0 ? v2 : v1)
                {
                    db.Database.SwitchServingView(target);
                    Thread.Sleep(1); // between the two switches: where a reader sees one view switched and the other not
                }

                switches++;
            }
        }, onMix: mixed.Set);

        Assert.True(seen.Errors.IsEmpty, $"{seen.Errors.Count} errors, first: {string.Join("\n", seen.Errors.Take(5))}");
        Assert.False(seen.Mixes.IsEmpty, $"in {switches} switches view by view, {seen.Reads} reads never saw a mix (v1 {seen.OnV1}, v2 {seen.OnV2}): the readers cannot tell an atomic switch from one that is not");
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
        Materialize(transport, db, ledger1, 10);
        Materialize(transport, db, journal1, 20);
        Materialize(transport, db, ledger2, 30);
        Materialize(transport, elsewhere, journal2, 40);
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

    /// <summary>
    /// ledger v1 200 / v2 500 rows, journal v1 300 rows and v2 700 (same columns, one more or one less) or about 600
    /// positions (another record type); returns the row counts as materialized, which tell the versions apart view by view.
    /// </summary>
    private static (SinkTarget[] V1, SinkTarget[] V2, Counts Counts) Versions(TestTransport transport, TestDatabase db, Journal journal)
    {
        SinkTarget[] v1 = [new("ledger", 1), new("journal", 1)];
        SinkTarget[] v2 = [new("ledger", 2), new("journal", 2)];
        Materialize(transport, db, v1[0], 200);
        Materialize(transport, db, v1[1], 300);
        Materialize(transport, db, v2[0], 500);
        if (journal == Journal.SameColumns)
        {
            Materialize(transport, db, v2[1], 700);
        }
        else if (journal == Journal.AddedColumn)
        {
            EvolvedLedger.Materialize<LedgerEntryWithRegion>(db, v2[1], 700);
        }
        else if (journal == Journal.DroppedColumn)
        {
            EvolvedLedger.Materialize<LedgerEntryWithoutMemo>(db, v2[1], 700);
        }
        else if (journal == Journal.WidenedColumn)
        {
            EvolvedLedger.Materialize<WideLedgerEntry>(db, v2[1], 700, new Dictionary<string, string> { ["amount"] = "n * 1000 + 0.5" });
        }
        else
        {
            Workload.ProducePositions(transport.Transport, v2[1].Topic, partitions: 2, records: 4_000, accounts: 600, seed: 12);
            using var writer = new WriterRun<Position>(transport.Transport, db, v2[1], MaterializationTests.Options(maxBatch: 64));
            writer.WaitCaughtUp();
            writer.Stop();
        }

        long Rows(SinkTarget target) => db.Scalar($"SELECT count(*) FROM {db.Relation(target.Table)}");
        var counts = new Counts((Rows(v1[0]), Rows(v1[1])), (Rows(v2[0]), Rows(v2[1])));
        Assert.True(counts.V1.Ledger != counts.V2.Ledger && counts.V1.Journal != counts.V2.Journal, $"the versions' row counts must differ: {counts}");
        return (v1, v2, counts);
    }

    /// <summary>
    /// Runs 4 readers of both views while <paramref name="switcher"/> runs, and classifies every read. SQLite: deferred
    /// transactions reading the views in two statements, two in each order. PostgreSQL: two REPEATABLE READ transactions
    /// reading them in two statements (one in each order) and two readers reading both in one statement under READ
    /// COMMITTED (one in each order).
    /// </summary>
    private static Observed ReadWhile(TestDatabase db, Counts counts, Action<Observed> switcher, Action? onMix = null)
    {
        var seen = new Observed();
        var stop = new ManualResetEventSlim();
        string ledger = $"SELECT count(*) FROM {db.Relation("ledger")}";
        string journal = $"SELECT count(*) FROM {db.Relation("journal")}";
        var threads = new List<Thread>();
        for (int r = 0; r < 4; r++)
        {
            bool ledgerFirst = r % 2 == 0;
            bool oneStatement = db.Kind == DatabaseKind.PostgreSql && r >= 2;
            string name = $"{(oneStatement ? "one statement, read committed" : db.Kind == DatabaseKind.PostgreSql ? "two statements, repeatable read" : "two statements, deferred")}, {(ledgerFirst ? "ledger first" : "journal first")}";
            seen.ByReader[name] = 0;
            threads.Add(new Thread(() =>
            {
                using DbConnection connection = db.Open();
                while (!stop.IsSet)
                {
                    try
                    {
                        (long Ledger, long Journal) read = oneStatement ? ReadInOneStatement(connection, ledgerFirst) : ReadInOneTransaction(connection, ledger, journal, ledgerFirst);
                        if (read == counts.V1)
                        {
                            Interlocked.Increment(ref seen.OnV1);
                        }
                        else if (read == counts.V2)
                        {
                            Interlocked.Increment(ref seen.OnV2);
                        }
                        else
                        {
                            seen.Mixes.Enqueue($"{name}: ledger {read.Ledger} rows and journal {read.Journal} rows (v1 is {counts.V1}, v2 is {counts.V2})");
                            onMix?.Invoke();
                        }

                        Interlocked.Increment(ref seen.Reads);
                        seen.ByReader.AddOrUpdate(name, 1, (_, n) => n + 1);
                        Thread.Sleep(1); // readers come and go; back to back in both orders they could starve a DDL switch (it gives way to them)
                    }
                    catch (Exception error)
                    {
                        seen.Errors.Enqueue($"{name}: {error.GetType().Name}: {error.Message}");
                    }
                }
            }) { IsBackground = true, Name = "view reader " + r });
        }

        threads.ForEach(t => t.Start());
        try
        {
            // Every reader is reading before the first switch (a fixed pause did not ensure it on a loaded machine, where
            // the switches could all land before a reader's first read, so that no read saw one of the versions).
            seen.WaitForEveryReader(reads: 1);
            switcher(seen);
            // A loaded machine may switch faster than readers get scheduled: let every reader read, and enough reads land
            // (bounded), so the counts asserted after this depend on the readers, not on the machine's load.
            SpinWait.SpinUntil(() => Interlocked.Read(ref seen.Reads) > 100 && seen.ByReader.Values.All(n => n > 0), TimeSpan.FromSeconds(60));
        }
        catch (Exception error)
        {
            seen.Errors.Enqueue($"switch: {error.GetType().Name}: {error.Message}");
        }
        finally
        {
            stop.Set();
            threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a reader did not stop"));
        }

        return seen;

        (long, long) ReadInOneStatement(DbConnection connection, bool ledgerFirst)
        {
            using DbCommand command = connection.CreateCommand();
            string first = ledgerFirst ? "ledger" : "journal", second = ledgerFirst ? "journal" : "ledger";
            command.CommandText = $"SELECT (SELECT count(*) FROM {db.Relation(first)}), (SELECT count(*) FROM {db.Relation(second)})";
            using DbDataReader reader = command.ExecuteReader();
            reader.Read();
            (long a, long b) = (reader.GetInt64(0), reader.GetInt64(1));
            return ledgerFirst ? (a, b) : (b, a);
        }
    }

    private static (long, long) ReadInOneTransaction(DbConnection connection, string ledger, string journal, bool ledgerFirst)
    {
        // SQLite: a deferred transaction reads one WAL snapshot from its first read on (Microsoft.Data.Sqlite's default is
        // IMMEDIATE, a writer's). PostgreSQL: REPEATABLE READ keeps the first statement's snapshot for the second.
        using DbTransaction transaction = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true) : connection.BeginTransaction(IsolationLevel.RepeatableRead);
        long first = Count(connection, transaction, ledgerFirst ? ledger : journal);
        Thread.SpinWait(2_000); // widen the window between the two reads, where a switch could land
        long second = Count(connection, transaction, ledgerFirst ? journal : ledger);
        transaction.Commit();
        return ledgerFirst ? (first, second) : (second, first);
    }

    private static long Count(DbConnection connection, DbTransaction transaction, string sql)
    {
        using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Writes the target's table with that many ledger entries and stops its writer once it caught up.</summary>
    private static void Materialize(TestTransport transport, TestDatabase db, SinkTarget target, int count)
    {
        var random = new Random(12);
        Workload.ProduceEntries(transport.Transport, target.Topic, 2, Enumerable.Range(0, count).Select(n => Workload.Entry(n, random)));
        using var writer = new WriterRun<LedgerEntry>(transport.Transport, db, target, MaterializationTests.Options(maxBatch: 64));
        writer.WaitCaughtUp();
        writer.Stop();
    }

    private static string[] ViewColumns(TestDatabase db, string view) => db.Kind == DatabaseKind.Sqlite
        ? db.Query($"SELECT name FROM pragma_table_info('{view}') ORDER BY cid", [TableColumnType.Text]).Select(r => r[0]).ToArray()
        : db.Query($"SELECT column_name FROM information_schema.columns WHERE table_schema = '{db.Schema}' AND table_name = '{view}' ORDER BY ordinal_position", [TableColumnType.Text]).Select(r => r[0]).ToArray();

    private sealed record Counts((long Ledger, long Journal) V1, (long Ledger, long Journal) V2);

    private sealed class Observed
    {
        public long Reads;
        public long OnV1;
        public long OnV2;

        public ConcurrentQueue<string> Errors { get; } = new();

        public ConcurrentQueue<string> Mixes { get; } = new();

        public ConcurrentDictionary<string, long> ByReader { get; } = new();

        /// <summary>Waits until every reader has finished <paramref name="reads"/> more reads (so none still reads with a snapshot from before the call).</summary>
        public void WaitForEveryReader(int reads)
        {
            var from = ByReader.ToDictionary(r => r.Key, r => r.Value);
            DateTime deadline = DateTime.UtcNow.AddSeconds(60);
            while (ByReader.Any(r => r.Value < from[r.Key] + reads))
            {
                Assert.True(DateTime.UtcNow < deadline && Errors.IsEmpty, $"the readers stopped reading: {string.Join(", ", ByReader.Select(r => $"{r.Key} {r.Value - from[r.Key]} reads"))}; errors: {string.Join("\n", Errors.Take(3))}");
                Thread.Sleep(1);
            }
        }
    }
}
