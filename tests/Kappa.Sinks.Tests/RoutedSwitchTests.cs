using Kappa.PostgreSql;
using Kappa.SinkHost.Records;
using Kappa.Sinks.Tests.Infrastructure;
using Npgsql;

namespace Kappa.Sinks.Tests;

/// <summary>
/// PostgreSQL's routed serving views: a view is a UNION ALL over the sink's version tables, each branch guarded by the
/// serving record. Preparing a version adds its branch and changes nothing readers see; a switch between prepared
/// versions is an UPDATE of the records, which neither waits for a reader holding the view nor makes it wait; a reader's
/// plan scans only the serving table. Added columns are appended to the view at the prepare (NULL in the branches that
/// lack them); a dropped column stays (NULL) until the last version having it is retired; a narrower type is cast to
/// the view's; a wider type rebuilds the view with it at the prepare (which waits for the readers), after which promote
/// and rollback are UPDATEs again; a type neither held by the view's column nor holding it switches by DDL; dropping a
/// version takes its branch out first; a view made before routing is converted by its next switch.
/// </summary>
public sealed class RoutedSwitchTests
{
    private static readonly SinkTarget V1 = new("ledger", 1);
    private static readonly SinkTarget V2 = new("ledger", 2);

    [Fact]
    public void PrepareAddsTheBranchAndASwitchIsAnUpdateThatNeverWaitsForReaders()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        Ledger(transport, db, V1, 10);
        Ledger(transport, db, V2, 20);
        db.Database.SwitchServingViews([V1]);
        Assert.Equal(["ledger_v1"], ViewReads(db, "ledger"));

        db.Database.PrepareServingViews([V2]);
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(1, db.Database.GetServingVersion("ledger"));
        Assert.Equal(10, db.Scalar($"SELECT count(*) FROM {db.Relation("ledger")}"));

        // A reader holds the view (ACCESS SHARE to the end of its transaction): no DDL on the view can commit now.
        using NpgsqlConnection reader = Postgres(db).OpenConnection();
        using NpgsqlTransaction snapshot = reader.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        Assert.Equal(10L, Scalar(reader, $"SELECT count(*) FROM {db.Relation("ledger")}"));
        using (NpgsqlConnection probe = Postgres(db).OpenConnection())
        using (probe.BeginTransaction())
        {
            var held = Assert.Throws<PostgresException>(() => Scalar(probe, $"LOCK TABLE {db.Relation("ledger")} IN ACCESS EXCLUSIVE MODE NOWAIT"));
            Assert.Equal(PostgresErrorCodes.LockNotAvailable, held.SqlState);
        }

        // The switch is an UPDATE: it lands while the reader holds the view, and the reader keeps its snapshot.
        db.Database.SwitchServingViews([V2]);
        Assert.Equal(2, db.Database.GetServingVersion("ledger"));
        Assert.Equal(20, db.Scalar($"SELECT count(*) FROM {db.Relation("ledger")}"));
        Assert.Equal(10L, Scalar(reader, $"SELECT count(*) FROM {db.Relation("ledger")}"));

        // Rollback is an UPDATE too.
        db.Database.SwitchServingViews([V1]);
        Assert.Equal(10, db.Scalar($"SELECT count(*) FROM {db.Relation("ledger")}"));
        snapshot.Commit();
        Assert.Equal(10L, Scalar(reader, $"SELECT count(*) FROM {db.Relation("ledger")}"));
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));
    }

    [Fact]
    public void AReaderScansOnlyTheServingTable()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        Ledger(transport, db, V1, 10);
        Ledger(transport, db, V2, 20);
        db.Database.SwitchServingViews([V1]);
        db.Database.SwitchServingViews([V2]);
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));

        foreach (string query in new[] { $"SELECT count(*) FROM {db.Relation("ledger")}", $"SELECT * FROM {db.Relation("ledger")} WHERE account = 'a3'" })
        {
            string[] plan = Plan(db, query);
            Assert.Contains(plan, line => line.Contains("on ledger_v1", StringComparison.Ordinal) && line.Contains("(never executed)", StringComparison.Ordinal));
            Assert.Contains(plan, line => line.Contains("on ledger_v2", StringComparison.Ordinal) && line.Contains("(actual rows=", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.Contains("on ledger_v2", StringComparison.Ordinal) && line.Contains("(never executed)", StringComparison.Ordinal));
        }

        db.Database.SwitchServingViews([V1]);
        string[] back = Plan(db, $"SELECT count(*) FROM {db.Relation("ledger")}");
        Assert.Contains(back, line => line.Contains("on ledger_v2", StringComparison.Ordinal) && line.Contains("(never executed)", StringComparison.Ordinal));
        Assert.DoesNotContain(back, line => line.Contains("on ledger_v1", StringComparison.Ordinal) && line.Contains("(never executed)", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAddedColumnIsAppendedAtThePrepareAndTheSwitchIsStillAnUpdate()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        Ledger(transport, db, V1, 10);
        EvolvedLedger.Materialize<LedgerEntryWithRegion>(db, V2, 20);
        db.Database.SwitchServingViews([V1]);
        Assert.Equal(["entry_id bigint", "account text", "amount numeric(7,2)", "memo text"], ViewColumnTypes(db, "ledger"));

        db.Database.PrepareServingViews([V2]);
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(["entry_id bigint", "account text", "amount numeric(7,2)", "memo text", "region text"], ViewColumnTypes(db, "ledger"));

        // Before the promote, v1's readers see the prepared column, NULL in every row, and only v1's table is scanned.
        string counts = $"SELECT count(*) * 1000 + count(region) FROM {db.Relation("ledger")}";
        Assert.Equal(10_000, db.Scalar(counts));
        string[] plan = Plan(db, counts);
        Assert.Contains(plan, line => line.Contains("on ledger_v2", StringComparison.Ordinal) && line.Contains("(never executed)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("on ledger_v1", StringComparison.Ordinal) && line.Contains("(never executed)", StringComparison.Ordinal));

        // A reader holds the view: the switch is an UPDATE, lands anyway, and the reader keeps its snapshot.
        using NpgsqlConnection reader = Postgres(db).OpenConnection();
        using NpgsqlTransaction snapshot = reader.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        Assert.Equal(10_000L, Scalar(reader, counts));
        db.Database.SwitchServingViews([V2]);
        Assert.Equal(2, db.Database.GetServingVersion("ledger"));
        Assert.Equal(20_020, db.Scalar(counts));
        Assert.Equal(3, db.Scalar($"SELECT count(DISTINCT region) FROM {db.Relation("ledger")}"));
        Assert.Equal(10_000L, Scalar(reader, counts));

        db.Database.SwitchServingViews([V1]); // rollback: an UPDATE too, region NULL again
        Assert.Equal(10_000L, Scalar(reader, counts));
        snapshot.Commit();
        Assert.Equal(10_000, db.Scalar(counts));
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(5, ViewColumnTypes(db, "ledger").Length);
    }

    [Fact]
    public void ADroppedColumnStaysInTheViewUntilTheLastVersionHavingItIsRetired()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        var v3 = new SinkTarget("ledger", 3);
        Ledger(transport, db, V1, 10);
        EvolvedLedger.Materialize<LedgerEntryWithoutMemo>(db, V2, 20);
        EvolvedLedger.Materialize<NarrowLedgerEntry>(db, v3, 30);
        db.Database.SwitchServingViews([V1]);
        db.Database.PrepareServingViews([V2]);
        db.Database.PrepareServingViews([v3]);
        Assert.Equal(["ledger_v1", "ledger_v2", "ledger_v3"], ViewReads(db, "ledger"));
        string[] ledger = ["entry_id bigint", "account text", "amount numeric(7,2)", "memo text"];
        Assert.Equal(ledger, ViewColumnTypes(db, "ledger")); // v3's integer and numeric(5,2) are cast to the view's types

        string counts = $"SELECT count(*) * 1000 + count(memo) FROM {db.Relation("ledger")}";
        using NpgsqlConnection reader = Postgres(db).OpenConnection();
        using NpgsqlTransaction snapshot = reader.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        Assert.Equal(10_010L, Scalar(reader, counts));
        db.Database.SwitchServingViews([V2]); // lands while the reader holds the view: an UPDATE
        Assert.Equal(20_000, db.Scalar(counts));
        db.Database.SwitchServingViews([v3]);
        Assert.Equal(30_030, db.Scalar(counts));
        Assert.Equal(465, db.Scalar($"SELECT sum(entry_id) FROM {db.Relation("ledger")}"));
        Assert.Equal(10_010L, Scalar(reader, counts));
        snapshot.Commit();

        db.Database.DropTable(V1); // v3 still has memo: it stays
        Assert.Equal(["ledger_v2", "ledger_v3"], ViewReads(db, "ledger"));
        Assert.Equal(ledger, ViewColumnTypes(db, "ledger"));
        Assert.Equal(30_030, db.Scalar(counts));

        db.Database.SwitchServingViews([V2]);
        db.Database.DropTable(v3); // the last version having memo: the view is rebuilt without it
        Assert.Equal(["ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(["entry_id bigint", "account text", "amount numeric(7,2)"], ViewColumnTypes(db, "ledger"));
        Assert.Equal(20, db.Scalar($"SELECT count(*) FROM {db.Relation("ledger")}"));
        Assert.Equal(2, db.Database.GetServingVersion("ledger"));

        // The view is still routed: v1, rebuilt, joins it again (memo appended) and the switch back is an UPDATE.
        Ledger(transport, db, V1, 0);
        db.Database.PrepareServingViews([V1]);
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(ledger, ViewColumnTypes(db, "ledger"));
        db.Database.SwitchServingViews([V1]);
        Assert.Equal(10_010, db.Scalar(counts));
    }

    [Fact]
    public void AWidenedColumnIsRebuiltAtThePrepareAndPromoteAndRollbackAreStillUpdates()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        Ledger(transport, db, V1, 10);
        EvolvedLedger.Materialize<WideLedgerEntry>(db, V2, 20, new Dictionary<string, string> { ["amount"] = "n * 10000 + 0.25" }); // up to 200,000.25: too wide for numeric(7,2)
        db.Database.SwitchServingViews([V1]);
        Assert.Equal(["entry_id bigint", "account text", "amount numeric(7,2)", "memo text"], ViewColumnTypes(db, "ledger"));
        string sums = $"SELECT count(*)::numeric * 1000000000 + sum(amount) FROM {db.Relation("ledger")}";
        decimal v1 = Decimal(db, $"SELECT count(*)::numeric * 1000000000 + sum(amount) FROM {db.Relation(V1.Table)}");
        decimal v2 = Decimal(db, $"SELECT count(*)::numeric * 1000000000 + sum(amount) FROM {db.Relation(V2.Table)}");
        Assert.Equal(20_002_100_005.00m, v2);
        Assert.Equal(v1, Decimal(db, sums));

        // The prepare rebuilds the view (DDL): it waits for a reader holding the view, and lands once the reader lets go.
        using (NpgsqlConnection holder = Postgres(db).OpenConnection())
        {
            NpgsqlTransaction holding = holder.BeginTransaction();
            Assert.Equal(v1, Decimal(holder, sums));
            Exception? failed = null;
            var preparer = new Thread(() =>
            {
                try
                {
                    db.Database.PrepareServingViews([V2]);
                }
                catch (Exception error)
                {
                    failed = error;
                }
            }) { IsBackground = true };
            preparer.Start();
            Assert.False(preparer.Join(TimeSpan.FromMilliseconds(300)), "the prepare rebuilds the view: it cannot commit while a reader holds it");
            Assert.Equal(["entry_id bigint", "account text", "amount numeric(7,2)", "memo text"], ViewColumnTypes(db, "ledger"));
            holding.Commit();
            holding.Dispose();
            Assert.True(preparer.Join(TimeSpan.FromSeconds(60)), "the prepare did not finish once the reader let go");
            Assert.Null(failed);
        }

        // Prepared: amount is numeric(12,2), v1's branch cast up to it, v1 still serving with the same values.
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(["entry_id bigint", "account text", "amount numeric(12,2)", "memo text"], ViewColumnTypes(db, "ledger"));
        Assert.Equal(1, db.Database.GetServingVersion("ledger"));
        Assert.Equal(v1, Decimal(db, sums));
        Assert.Contains(Plan(db, sums), line => line.Contains("on ledger_v2", StringComparison.Ordinal) && line.Contains("(never executed)", StringComparison.Ordinal));

        // A REPEATABLE READ reader holds the view: promote and rollback are UPDATEs, land anyway, and the reader keeps its snapshot.
        using NpgsqlConnection reader = Postgres(db).OpenConnection();
        using NpgsqlTransaction snapshot = reader.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        Assert.Equal(v1, Decimal(reader, sums));
        db.Database.SwitchServingViews([V2]);
        Assert.Equal(2, db.Database.GetServingVersion("ledger"));
        Assert.Equal(v2, Decimal(db, sums));
        Assert.Equal(200_000.25m, Decimal(db, $"SELECT max(amount) FROM {db.Relation("ledger")}"));
        Assert.Equal(v1, Decimal(reader, sums));
        db.Database.SwitchServingViews([V1]);
        Assert.Equal(1, db.Database.GetServingVersion("ledger"));
        Assert.Equal(v1, Decimal(reader, sums));
        snapshot.Commit();
        Assert.Equal(v1, Decimal(db, sums));
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(["entry_id bigint", "account text", "amount numeric(12,2)", "memo text"], ViewColumnTypes(db, "ledger"));

        // Retire the wide version after the rollback: the view keeps the wide type (no second type change for readers).
        db.Database.DropTable(V2);
        Assert.Equal(["ledger_v1"], ViewReads(db, "ledger"));
        Assert.Equal(["entry_id bigint", "account text", "amount numeric(12,2)", "memo text"], ViewColumnTypes(db, "ledger"));
        Assert.Equal(v1, Decimal(db, sums));

        // The view is still routed: v2, rebuilt, joins it without a rebuild (nothing to widen) and the switch is an UPDATE.
        EvolvedLedger.Materialize<WideLedgerEntry>(db, V2, 20, new Dictionary<string, string> { ["amount"] = "n * 10000 + 0.25" });
        db.Database.PrepareServingViews([V2]);
        using (NpgsqlTransaction again = reader.BeginTransaction(System.Data.IsolationLevel.RepeatableRead))
        {
            Assert.Equal(v1, Decimal(reader, sums));
            db.Database.SwitchServingViews([V2]);
            Assert.Equal(v1, Decimal(reader, sums));
            again.Commit();
        }

        Assert.Equal(v2, Decimal(db, sums));
    }

    [Fact]
    public void AColumnChangeSwitchesByDdlWhichWaitsForTheReaders()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        var v3 = new SinkTarget("ledger", 3);
        Ledger(transport, db, V1, 10);
        Ledger(transport, db, V2, 20);
        Workload.ProducePositions(transport.Transport, v3.Topic, partitions: 2, records: 200, accounts: 30, seed: 3);
        using (var writer = new WriterRun<Position>(transport.Transport, db, v3, MaterializationTests.Options(maxBatch: 64)))
        {
            writer.WaitCaughtUp();
            writer.Stop();
        }

        db.Database.SwitchServingViews([V1]);
        db.Database.PrepareServingViews([V2]);
        db.Database.PrepareServingViews([v3]);
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger")); // v3's account is bigint, the view's text (neither holds the other): prepare leaves it to the switch

        using NpgsqlConnection reader = Postgres(db).OpenConnection();
        NpgsqlTransaction holding = reader.BeginTransaction();
        Assert.Equal(10L, Scalar(reader, $"SELECT count(*) FROM {db.Relation("ledger")}"));
        Exception? failed = null;
        var switcher = new Thread(() =>
        {
            try
            {
                db.Database.SwitchServingViews([v3]);
            }
            catch (Exception error)
            {
                failed = error;
            }
        }) { IsBackground = true };
        switcher.Start();
        Assert.False(switcher.Join(TimeSpan.FromMilliseconds(300)), "a DDL switch cannot commit while a reader holds the view");
        holding.Commit();
        holding.Dispose();
        Assert.True(switcher.Join(TimeSpan.FromSeconds(60)), "the switch did not finish once the reader let go");
        Assert.Null(failed);

        Assert.Equal(3, db.Database.GetServingVersion("ledger"));
        Assert.Equal(["ledger_v3"], ViewReads(db, "ledger"));
        Assert.Equal(db.Scalar($"SELECT count(*) FROM {db.Relation(v3.Table)}"), db.Scalar($"SELECT count(*) FROM {db.Relation("ledger")}"));
        Assert.Equal(
            ["account", "active", "count", "ratio", "score", "amount", "name", "note", "payload", "ref_id", "updated_at", "tags"],
            ViewColumns(db, "ledger"));

        // And back: v1's account is text, the view's bigint now, so this is a DDL switch too; v2 joins it at its prepare.
        db.Database.SwitchServingViews([V1]);
        Assert.Equal(["ledger_v1"], ViewReads(db, "ledger"));
        Assert.Equal(["entry_id", "account", "amount", "memo"], ViewColumns(db, "ledger"));
        db.Database.PrepareServingViews([V2]);
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(10, db.Scalar($"SELECT count(*) FROM {db.Relation("ledger")}"));
    }

    [Fact]
    public void DroppingAVersionTakesItsBranchOutOfTheViewFirst()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        var v3 = new SinkTarget("ledger", 3);
        Ledger(transport, db, V1, 10);
        Ledger(transport, db, V2, 20);
        Ledger(transport, db, v3, 30);
        db.Database.SwitchServingViews([V1]);
        db.Database.SwitchServingViews([V2]);
        db.Database.PrepareServingViews([v3]);
        Assert.Equal(["ledger_v1", "ledger_v2", "ledger_v3"], ViewReads(db, "ledger"));

        Assert.Contains("serving version", Assert.Throws<InvalidOperationException>(() => db.Database.DropTable(V2)).Message, StringComparison.Ordinal);
        db.Database.DropTable(V1); // retired
        db.Database.DropTable(v3); // prepared, never served
        Assert.Equal(["ledger_v2"], ViewReads(db, "ledger"));
        Assert.False(db.TableExists(V1.Table));
        Assert.False(db.TableExists(v3.Table));
        Assert.Equal(0, db.CommittedOffsets(V1.Table));
        Assert.Equal(20, db.Scalar($"SELECT count(*) FROM {db.Relation("ledger")}"));

        var gone = Assert.Throws<InvalidOperationException>(() => db.Database.SwitchServingViews([V1]));
        Assert.Contains("ledger_v1\" does not exist", gone.Message, StringComparison.Ordinal);
        Assert.Equal(2, db.Database.GetServingVersion("ledger"));

        // Rebuilt from its topic, v1 joins the view again at its next switch.
        Ledger(transport, db, V1, 0);
        db.Database.SwitchServingViews([V1]);
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(10, db.Scalar($"SELECT count(*) FROM {db.Relation("ledger")}"));
    }

    [Fact]
    public void AViewOfOneTableMadeBeforeRoutingIsRoutedByItsNextSwitch()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        Ledger(transport, db, V1, 10);
        Ledger(transport, db, V2, 20);
        db.Execute($"CREATE TABLE IF NOT EXISTS {db.Relation("_kappa_serving")} (sink text PRIMARY KEY, table_name text NOT NULL, version integer NOT NULL, switched_at timestamptz NOT NULL DEFAULT now())");
        db.Execute($"CREATE VIEW {db.Relation("ledger")} AS SELECT entry_id, account, amount, memo FROM {db.Relation(V1.Table)}");
        db.Execute($"INSERT INTO {db.Relation("_kappa_serving")} (sink, table_name, version) VALUES ('ledger', 'ledger_v1', 1)");

        db.Database.PrepareServingViews([V2]); // not routed: left to the switch
        Assert.Equal(["ledger_v1"], ViewReads(db, "ledger"));
        db.Database.SwitchServingViews([V2]);
        Assert.Equal(["ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(20, db.Scalar($"SELECT count(*) FROM {db.Relation("ledger")}"));
        db.Database.SwitchServingViews([V1]);
        Assert.Equal(["ledger_v1", "ledger_v2"], ViewReads(db, "ledger"));
        Assert.Equal(10, db.Scalar($"SELECT count(*) FROM {db.Relation("ledger")}"));
    }

    /// <summary>The tables the view reads besides the serving record (its branches), by name.</summary>
    internal static string[] ViewReads(TestDatabase db, string view)
    {
        using NpgsqlConnection connection = Postgres(db).OpenConnection();
        using var command = new NpgsqlCommand(
            "SELECT DISTINCT t.relname FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid "
            + "JOIN pg_class t ON t.oid = d.refobjid AND t.oid <> r.ev_class WHERE r.ev_class = $1::regclass AND t.relname <> '_kappa_serving' ORDER BY 1",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"{PostgreSqlIdentifier.Quote(db.Schema!)}.{PostgreSqlIdentifier.Quote(view)}" });
        using NpgsqlDataReader reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables.ToArray();
    }

    private static string[] ViewColumns(TestDatabase db, string view) =>
        db.Query($"SELECT column_name FROM information_schema.columns WHERE table_schema = '{db.Schema}' AND table_name = '{view}' ORDER BY ordinal_position", [TableColumnType.Text]).Select(r => r[0]).ToArray();

    private static string[] ViewColumnTypes(TestDatabase db, string view) =>
        db.Query($"SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = '{db.Relation(view)}'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum", [TableColumnType.Text]).Select(r => r[0]).ToArray();

    private static string[] Plan(TestDatabase db, string query) =>
        db.Query($"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {query}", [TableColumnType.Text]).Select(r => r[0]).ToArray();

    private static PostgreSqlSinkDatabase Postgres(TestDatabase db) => (PostgreSqlSinkDatabase)db.Database;

    private static decimal Decimal(TestDatabase db, string sql)
    {
        using NpgsqlConnection connection = Postgres(db).OpenConnection();
        return Decimal(connection, sql);
    }

    private static decimal Decimal(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return (decimal)command.ExecuteScalar()!;
    }

    private static long Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Materializes <paramref name="count"/> more ledger entries into the target's table (0: just catches up with its topic).</summary>
    private static void Ledger(TestTransport transport, TestDatabase db, SinkTarget target, int count)
    {
        var random = new Random(target.Version);
        Workload.ProduceEntries(transport.Transport, target.Topic, 2, Enumerable.Range(0, count).Select(n => Workload.Entry(n, random)));
        using var writer = new WriterRun<LedgerEntry>(transport.Transport, db, target, MaterializationTests.Options(maxBatch: 64));
        writer.WaitCaughtUp();
        writer.Stop();
    }
}
