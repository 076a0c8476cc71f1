using System.Data;
using System.Data.Common;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;

namespace Kappa.Lifecycle.Tests;

/// <summary>
/// Versions whose serving tables' columns differ from v1's, through the lifecycle on PostgreSQL. One more column: when
/// the version is caught up the lifecycle appends the column to the routed view (NULL while v1 serves); retiring the
/// version takes it out again. A widened column (amount bigint to numeric(21,2)): when the version is caught up the
/// lifecycle rebuilds the view with the wider type (v1's values unchanged); retiring the version keeps it. Either way
/// promote and rollback are then UPDATEs of the serving record, which land while a reader holds the view in a
/// REPEATABLE READ transaction (a DDL switch could not); readers never fail nor see two versions at once.
/// </summary>
public sealed class ColumnChangeLifecycleTests
{
    private const string View = "customer_amounts";

    /// <summary>The sum of the last sale of each of <see cref="Sales"/>' 50 customers (sales 0-299: amounts 250-299).</summary>
    private const decimal LastSales = 13_725m;

    /// <summary>Sales 0-299; v1 deployed, run, caught up, verified, its table filled and promoted: it serves.</summary>
    private static VersionRun<CustomerAmount> ServeV1(TestTransport transport, TestDatabase db, KappaLifecycle lifecycle)
    {
        Sales.Produce(transport.Transport, 0, 300);
        lifecycle.Deploy(AmountsV1.KappaDescriptor);
        VersionRun<CustomerAmount> v1 = VersionRun<CustomerAmount>.Start(new AmountsV1(), transport.Transport, db.Database);
        Wait.CaughtUp(lifecycle, 1, v1.ThrowIfFailed);
        Assert.True(lifecycle.Verify(() => new AmountsV1()).Passed);
        WaitTable(db, "customer_amounts_v1", LastSales, v1.ThrowIfFailed);
        lifecycle.Promote(AmountsV1.Name, 1);
        return v1;
    }

    [Fact]
    public void AVersionWithAnAddedColumnIsPreparedAtCaughtUpAndItsPromoteAndRollbackAreUpdates()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        var lifecycle = new KappaLifecycle(transport.Transport, db.Database, new LifecycleOptions { Instance = "test-operator", StopTimeout = TimeSpan.FromSeconds(5) });
        using VersionRun<CustomerAmount> v1 = ServeV1(transport, db, lifecycle);
        using var readers = new ViewReaders(db.Open, View);
        Wait.Until(() => readers.VersionsSeen.ContainsKey(1), seen => seen, "a reader saw v1"); // reading before anything changes

        // v3 replays; caught up, its table joins the view and region is appended, NULL while v1 serves.
        lifecycle.Deploy(AmountsV3.KappaDescriptor);
        using VersionRun<RegionalAmount> v3 = VersionRun<RegionalAmount>.Start(new AmountsV3(), transport.Transport, db.Database);
        WaitTable(db, "customer_amounts_v3", LastSales, v3.ThrowIfFailed); // first: a prepare skips a table its writer has not created yet
        Wait.CaughtUp(lifecycle, 3, v3.ThrowIfFailed);
        Assert.Equal(["customer_amounts_v1", "customer_amounts_v3"], db.ViewReads(View));
        Assert.Equal(["customer", "amount", "version", "region"], Columns(db));
        Assert.Equal((50L, 0L, 1L), Read(db.Open()));

        Assert.True(lifecycle.Verify(() => new AmountsV3()).Deterministic);

        // A reader holds the view: promote and rollback land anyway, and the reader keeps its snapshot.
        using DbConnection reader = db.Open();
        using (DbTransaction snapshot = reader.BeginTransaction(IsolationLevel.RepeatableRead))
        {
            Assert.Equal((50L, 0L, 1L), Read(reader, snapshot));
            Assert.Equal(3, lifecycle.Promote(AmountsV1.Name, 3).Serving);
            Assert.Equal(3, db.Database.GetServingVersion(AmountsV1.Sink));
            Assert.Equal((50L, 50L, 3L), Read(db.Open()));
            Assert.Equal((50L, 0L, 1L), Read(reader, snapshot));
            Wait.Until(() => readers.VersionsSeen.ContainsKey(3), seen => seen, "a reader saw v3");

            Assert.Equal(1, lifecycle.Rollback(AmountsV1.Name).Serving);
            Assert.Equal((50L, 0L, 1L), Read(db.Open()));
            snapshot.Commit();
        }

        // Retire v3 (in Standby): the last version having region leaves the view, and region with it.
        v3.Stop();
        Assert.True(lifecycle.Retire(AmountsV1.Name, 3).Executed);
        Assert.Equal(["customer_amounts_v1"], db.ViewReads(View));
        Assert.Equal(["customer", "amount", "version"], Columns(db));
        Assert.Equal(1, db.Database.GetServingVersion(AmountsV1.Sink));

        readers.Dispose();
        v1.Stop();
        Assert.True(readers.Errors.IsEmpty, $"{readers.Errors.Count} reader errors, first: {string.Join("\n", readers.Errors.Take(5))}");
        Assert.True(readers.VersionsSeen.ContainsKey(1) && readers.VersionsSeen.ContainsKey(3));
    }

    [Fact]
    public void AVersionWithAWidenedColumnIsPreparedAtCaughtUpAndItsPromoteAndRollbackAreUpdates()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        var lifecycle = new KappaLifecycle(transport.Transport, db.Database, new LifecycleOptions { Instance = "test-operator", StopTimeout = TimeSpan.FromSeconds(5) });
        using VersionRun<CustomerAmount> v1 = ServeV1(transport, db, lifecycle);
        Assert.Equal("bigint", AmountType(db));
        (long Rows, decimal Sum, long Version) onV1 = Amounts(db.Open(), table: "customer_amounts_v1");
        Assert.Equal((50L, LastSales, 1L), onV1);
        Assert.Equal(onV1, Amounts(db.Open()));
        using var readers = new ViewReaders(db.Open, View);
        Wait.Until(() => readers.VersionsSeen.ContainsKey(1), seen => seen, "a reader saw v1"); // reading before anything changes

        // v4 replays; caught up, its table joins the view, which is rebuilt with v4's numeric(21,2): v1 still serves, its values cast up.
        lifecycle.Deploy(AmountsV4.KappaDescriptor);
        using VersionRun<PreciseAmount> v4 = VersionRun<PreciseAmount>.Start(new AmountsV4(), transport.Transport, db.Database);
        WaitTable(db, "customer_amounts_v4", LastSales + 12.50m, v4.ThrowIfFailed); // every last sale plus a quarter; first: a prepare skips a table its writer has not created yet
        Wait.CaughtUp(lifecycle, 4, v4.ThrowIfFailed);
        Assert.Equal(["customer_amounts_v1", "customer_amounts_v4"], db.ViewReads(View));
        Assert.Equal(["customer", "amount", "version"], Columns(db));
        Assert.Equal("numeric(21,2)", AmountType(db));
        Assert.Equal(onV1, Amounts(db.Open()));
        (long Rows, decimal Sum, long Version) onV4 = (50L, onV1.Sum + 12.50m, 4L); // every last sale plus a quarter
        Assert.True(lifecycle.Verify(() => new AmountsV4()).Deterministic);

        // A reader holds the view: promote and rollback land anyway, and the reader keeps its snapshot.
        using DbConnection reader = db.Open();
        using (DbTransaction snapshot = reader.BeginTransaction(IsolationLevel.RepeatableRead))
        {
            Assert.Equal(onV1, Amounts(reader, snapshot));
            Assert.Equal(4, lifecycle.Promote(AmountsV1.Name, 4).Serving);
            Assert.Equal(4, db.Database.GetServingVersion(AmountsV1.Sink));
            Assert.Equal(onV4, Amounts(db.Open()));
            Assert.Equal(onV1, Amounts(reader, snapshot));
            Wait.Until(() => readers.VersionsSeen.ContainsKey(4), seen => seen, "a reader saw v4");

            Assert.Equal(1, lifecycle.Rollback(AmountsV1.Name).Serving);
            Assert.Equal(onV1, Amounts(db.Open()));
            Assert.Equal(onV1, Amounts(reader, snapshot));
            snapshot.Commit();
        }

        // Retire v4 (in Standby): its branch leaves the view, the wider type stays.
        v4.Stop();
        Assert.True(lifecycle.Retire(AmountsV1.Name, 4).Executed);
        Assert.Equal(["customer_amounts_v1"], db.ViewReads(View));
        Assert.Equal("numeric(21,2)", AmountType(db));
        Assert.Equal(onV1, Amounts(db.Open()));

        readers.Dispose();
        v1.Stop();
        Assert.True(readers.Errors.IsEmpty, $"{readers.Errors.Count} reader errors, first: {string.Join("\n", readers.Errors.Take(5))}");
        Assert.True(readers.VersionsSeen.ContainsKey(1) && readers.VersionsSeen.ContainsKey(4));
    }

    /// <summary>Rows, the sum of amount (exact) and the version of the rows (max) of the view or a table, in one statement.</summary>
    private static (long Rows, decimal Sum, long Version) Amounts(DbConnection connection, DbTransaction? transaction = null, string table = View) =>
        ReadRow(connection, transaction, $"SELECT count(*), sum(amount)::numeric, max(version) FROM \"{table}\"", r => (r.GetInt64(0), r.GetDecimal(1), (long)r.GetInt32(2)));

    private static string AmountType(TestDatabase db)
    {
        using DbConnection connection = db.Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"{db.Schema}\".\"{View}\"'::regclass AND attname = 'amount'";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>Rows, rows with a region, and the version of the view's rows (max), in one statement.</summary>
    private static (long Rows, long WithRegion, long Version) Read(DbConnection connection, DbTransaction? transaction = null) =>
        ReadRow(connection, transaction, $"SELECT count(*), count(region), max(version) FROM \"{View}\"", r => (r.GetInt64(0), r.GetInt64(1), (long)r.GetInt32(2)));

    /// <summary>One row of <paramref name="sql"/>, in <paramref name="transaction"/> when given; without one the connection is disposed after.</summary>
    private static T ReadRow<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> read)
    {
        try
        {
            using DbCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            using DbDataReader reader = command.ExecuteReader();
            reader.Read();
            return read(reader);
        }
        finally
        {
            if (transaction is null)
            {
                connection.Dispose();
            }
        }
    }

    private static string[] Columns(TestDatabase db)
    {
        using DbConnection connection = db.Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT column_name FROM information_schema.columns WHERE table_schema = '{db.Schema}' AND table_name = '{View}' ORDER BY ordinal_position";
        using DbDataReader reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names.ToArray();
    }

    /// <summary>
    /// Waits until the version's table holds the 50 customers' last sales (its writer's lag reads 0 before its first
    /// measurement, and its topic may still be empty while the processor catches up, so the lag alone proves nothing).
    /// </summary>
    private static void WaitTable(TestDatabase db, string table, decimal sum, Action check) =>
        Wait.Until(
            () =>
            {
                using DbConnection connection = db.Open();
                using DbCommand exists = connection.CreateCommand();
                exists.CommandText = $"SELECT to_regclass('\"{table}\"') IS NOT NULL";
                if (exists.ExecuteScalar() is not true)
                {
                    return (0L, 0m); // its writer has not created it yet
                }

                using DbCommand command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*), coalesce(sum(amount), 0)::numeric FROM \"{table}\"";
                using DbDataReader reader = command.ExecuteReader();
                reader.Read();
                return (reader.GetInt64(0), reader.GetDecimal(1));
            },
            rows => rows == (50L, sum),
            $"{table} holds the last sale of every customer",
            check: check);
}
