using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Kappa.PostgreSql;
using Kappa.Sinks;
using Kappa.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kappa.Benchmarks.Lifecycle;

/// <summary>
/// Harness for the latency distribution of promote's view switch (<see cref="ISinkDatabase.SwitchServingViews"/> of a
/// version with two table sinks of 10,000 rows each, alternating between two versions), on SQLite and on PostgreSQL
/// (<c>KAPPA_POSTGRES</c>), each with: no reader (baseline); 4 threads querying the two views back to back, one statement
/// per view; 4 threads reading both views in one statement (1 ms pause); 4 threads reading both views inside one read transaction
/// (SQLite deferred, PostgreSQL REPEATABLE READ; two in each order, 1 ms pause between transactions). PostgreSQL four
/// times: v1/v2 with the same columns, v1/v3 with one more column and v1/v5 with a widened column (version integer to
/// bigint) (all routed switches: an UPDATE of the serving records, the other version prepared first as the lifecycle
/// does at CaughtUp, which appends v3's column to the views, or rebuilds them with v5's bigint), and v1/v4 whose amount
/// is a double precision, which neither holds nor is held by the views' bigint (the DDL switch that remains). The
/// prepare's own time is printed once per version (no readers). Each switch is timed alone (Stopwatch), so p50
/// and p99 are true percentiles over all switches. A switch that fails (a DDL switch finds no instant without readers in
/// 30 s) and a reader error are counted and reported, never hidden.
/// <c>dotnet run -c Release --project tests/Kappa.Benchmarks -- switch-latency [switches] [DDL switches]</c>
/// </summary>
public static class ViewSwitchLatency
{
    private static readonly SinkTarget[] V1 = [new("served", 1), new("extra", 1)];
    private static readonly SinkTarget[] V2 = [new("served", 2), new("extra", 2)];

    /// <summary>One more column (<see cref="WideServingRow"/>): prepared, a switch between v1 and v3 is still an UPDATE.</summary>
    private static readonly SinkTarget[] V3 = [new("served", 3), new("extra", 3)];

    /// <summary>Another type of amount (<see cref="RetypedServingRow"/>): a switch between v1 and v4 redefines the views.</summary>
    private static readonly SinkTarget[] V4 = [new("served", 4), new("extra", 4)];

    /// <summary>A wider version column (<see cref="WidenedServingRow"/>): prepared (the views rebuilt with it), a switch between v1 and v5 is an UPDATE.</summary>
    private static readonly SinkTarget[] V5 = [new("served", 5), new("extra", 5)];

    public static int Run(string[] args)
    {
        int switches = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        int ddlSwitches = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| Database | Switch | Readers | Switches | p50 | p99 | Max | Mean | Reads during the switches | p50 / baseline p50 |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        string directory = Directory.CreateTempSubdirectory("kappa-switch-latency-").FullName;
        try
        {
            var sqlite = new SqliteSinkDatabase(Path.Combine(directory, "serving.db"));
            Fill(sqlite, () => sqlite.OpenConnection(), name => SqliteIdentifier.Quote(name), V1.Concat(V2));
            Measure("SQLite", "DDL", sqlite, () => sqlite.OpenConnection(), switches, name => SqliteIdentifier.Quote(name), V2);
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
            string? postgres = Environment.GetEnvironmentVariable("KAPPA_POSTGRES");
            if (string.IsNullOrWhiteSpace(postgres))
            {
                Console.WriteLine("PostgreSQL not measured: KAPPA_POSTGRES is unset (eval \"$(scripts/postgres.sh start)\" first).");
            }
            else
            {
                string schema = "kappa_switch_" + Guid.NewGuid().ToString("N")[..8];
                using var pg = new PostgreSqlSinkDatabase(postgres, schema);
                try
                {
                    Fill(pg, () => pg.OpenConnection(), name => PostgreSqlIdentifier.Qualify(schema, name), V1.Concat(V2).Concat(V3).Concat(V4).Concat(V5));
                    Measure("PostgreSQL 15", "routed (UPDATE)", pg, () => pg.OpenConnection(), switches, name => PostgreSqlIdentifier.Qualify(schema, name), V2);
                    Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
                    Measure("PostgreSQL 15", "routed (UPDATE), added column", pg, () => pg.OpenConnection(), switches, name => PostgreSqlIdentifier.Qualify(schema, name), V3);
                    Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
                    Measure("PostgreSQL 15", "routed (UPDATE), widened column", pg, () => pg.OpenConnection(), switches, name => PostgreSqlIdentifier.Qualify(schema, name), V5);
                    Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
                    Measure("PostgreSQL 15", "DDL (other type: bigint / double precision)", pg, () => pg.OpenConnection(), ddlSwitches, name => PostgreSqlIdentifier.Qualify(schema, name), V4);
                }
                finally
                {
                    using NpgsqlConnection connection = pg.OpenConnection();
                    using var drop = new NpgsqlCommand($"DROP SCHEMA {PostgreSqlIdentifier.Quote(schema)} CASCADE", connection);
                    drop.ExecuteNonQuery();
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    /// <summary>Switches between v1 and <paramref name="other"/> under each kind of reader.</summary>
    private static void Measure(string name, string kind, ISinkDatabase db, Func<DbConnection> open, int switches, Func<string, string> relation, SinkTarget[] other)
    {
        db.SwitchServingViews(V1);
        long prepareStart = Stopwatch.GetTimestamp();
        db.PrepareServingViews(other); // what the lifecycle does when a version is caught up (PostgreSQL: adds v2, v3 or v5 to the routed views, appending v3's column, rebuilding them with v5's bigint; nothing for v4, whose amount the views cannot hold)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {kind}: prepare (no readers) {Stopwatch.GetElapsedTime(prepareStart).TotalMilliseconds:0.00} ms"));
        Stats baseline = Switch(db, switches, other, readers: null);
        Report(name, kind, "none (baseline)", baseline, baseline);
        string served = $"SELECT count(*), max(amount) FROM {relation("served")}";
        string extra = $"SELECT count(*), max(amount) FROM {relation("extra")}";
        string both = $"SELECT (SELECT count(*) FROM {relation("served")}), (SELECT count(*) FROM {relation("extra")})";
        Report(name, kind, "4 threads, one statement per view", Switch(db, switches, other, (index, stop) => Statements(open, stop, pause: false, served, extra)), baseline);
        Report(name, kind, "4 threads, both views in one statement, 1 ms pause between statements", Switch(db, switches, other, (index, stop) => Statements(open, stop, pause: true, both)), baseline);
        Report(name, kind, "4 threads, both views in one read transaction (PostgreSQL: REPEATABLE READ), 2 in each order", Switch(db, switches, other, (index, stop) => Transactions(open, stop, index % 2 == 0 ? [served, extra] : [extra, served])), baseline);
    }

    private static Stats Switch(ISinkDatabase db, int switches, SinkTarget[] other, Func<int, CancellationToken, long>? readers)
    {
        using var stop = new CancellationTokenSource();
        long reads = 0;
        int readerErrors = 0;
        var threads = readers is null ? [] : Enumerable.Range(0, 4).Select(i => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Interlocked.Add(ref reads, readers(i, stop.Token));
                }
                catch (Npgsql.PostgresException error)
                {
                    Interlocked.Increment(ref readerErrors); // counted and reported: a reader must never fail
                    Console.Error.WriteLine($"reader {i}: {error.SqlState} {error.MessageText}");
                }
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        Thread.Sleep(threads.Count > 0 ? 200 : 0);
        var latencies = new List<double>(switches);
        int failed = 0;
        for (int i = 0; i < switches && failed < 3; i++)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                db.SwitchServingViews(i % 2 == 0 ? other : V1);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            catch (InvalidOperationException error)
            {
                failed++; // a DDL switch that found no instant without readers within its 30 s: nothing switched
                Console.Error.WriteLine($"switch {i} failed after {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s: {error.Message}");
            }
        }

        stop.Cancel();
        threads.ForEach(t => t.Join());
        db.SwitchServingViews(V1);
        latencies.Sort();
        int n = latencies.Count;
        return n == 0
            ? new Stats(double.NaN, double.NaN, double.NaN, double.NaN, 0, failed, reads, readerErrors)
            : new Stats(latencies[(n - 1) / 2], latencies[(int)Math.Ceiling(n * 0.99) - 1], latencies[^1], latencies.Average(), n, failed, reads, readerErrors);
    }

    private static long Statements(Func<DbConnection> open, CancellationToken stop, bool pause, params string[] statements)
    {
        using DbConnection connection = open();
        long reads = 0;
        while (!stop.IsCancellationRequested)
        {
            foreach (string sql in statements)
            {
                using DbCommand command = connection.CreateCommand();
                command.CommandText = sql;
                command.ExecuteScalar();
                reads++;
            }

            if (pause)
            {
                Thread.Sleep(1);
            }
        }

        return reads;
    }

    private static long Transactions(Func<DbConnection> open, CancellationToken stop, string[] order)
    {
        using DbConnection connection = open();
        long reads = 0;
        while (!stop.IsCancellationRequested)
        {
            using (DbTransaction transaction = connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true) : connection.BeginTransaction(IsolationLevel.RepeatableRead))
            {
                foreach (string sql in order)
                {
                    using DbCommand command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    command.ExecuteScalar();
                    reads++;
                }

                transaction.Commit();
            }

            Thread.Sleep(1);
        }

        return reads;
    }

    private static void Fill(ISinkDatabase db, Func<DbConnection> open, Func<string, string> relation, IEnumerable<SinkTarget> targets)
    {
        foreach (SinkTarget target in targets)
        {
            bool wide = target.Version == 3;
            switch (target.Version)
            {
                case 3:
                    Create<WideServingRow>(db, target);
                    break;
                case 4:
                    Create<RetypedServingRow>(db, target);
                    break;
                case 5:
                    Create<WidenedServingRow>(db, target);
                    break;
                default:
                    Create<ServingRow>(db, target);
                    break;
            }

            using DbConnection connection = open();
            using DbCommand insert = connection.CreateCommand();
            string region = wide ? ", region" : string.Empty;
            string regionValue = wide ? ", 'r' || (v % 7)" : string.Empty;
            insert.CommandText = connection is SqliteConnection
                ? $"WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 10000) INSERT INTO {relation(target.Table)} (customer, amount, version{region}, _kappa_partition, _kappa_offset, _kappa_key) SELECT 'c' || v, v, {target.Version}{regionValue}, 0, v, CAST('c' || v AS BLOB) FROM n"
                : $"INSERT INTO {relation(target.Table)} (customer, amount, version{region}, _kappa_partition, _kappa_offset, _kappa_key) SELECT 'c' || v, v, {target.Version}{regionValue}, 0, v, convert_to('c' || v, 'UTF8') FROM generate_series(1, 10000) v";
            insert.ExecuteNonQuery();
        }
    }

    private static void Create<T>(ISinkDatabase db, SinkTarget target)
        where T : ITableRecord<T>
    {
        using ISinkTable<T> table = db.OpenTable<T>(target);
        table.Open(target.Topic);
    }

    private static void Report(string database, string kind, string readers, Stats stats, Stats baseline) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {database} | {kind} | {readers} | {stats.Switches}{(stats.Failed > 0 ? $" ({stats.Failed} failed after 30 s)" : string.Empty)} | {stats.P50:0.00} ms | {stats.P99:0.00} ms | {stats.Max:0.00} ms | {stats.Mean:0.00} ms | {stats.Reads}{(stats.ReaderErrors > 0 ? $" ({stats.ReaderErrors} reader errors)" : string.Empty)} | {stats.P50 / baseline.P50:0.00}x |"));

    private sealed record Stats(double P50, double P99, double Max, double Mean, int Switches, int Failed, long Reads, int ReaderErrors);
}
