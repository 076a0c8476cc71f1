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
/// version with two table sinks of 10,000 rows each, alternating between v1 and v2), on SQLite and on PostgreSQL
/// (<c>KAPPA_POSTGRES</c>), each with: no reader (baseline); 4 threads querying the two views back to back, one statement
/// each; 4 threads reading both views inside one read transaction (two in each order, 1 ms pause between transactions).
/// Each switch is timed alone (Stopwatch), so p50 and p99 are true percentiles over all switches.
/// <c>dotnet run -c Release --project tests/Kappa.Benchmarks -- switch-latency [switches]</c>
/// </summary>
public static class ViewSwitchLatency
{
    private static readonly SinkTarget[] V1 = [new("served", 1), new("extra", 1)];
    private static readonly SinkTarget[] V2 = [new("served", 2), new("extra", 2)];

    public static int Run(string[] args)
    {
        int switches = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| Database | Readers | Switches | p50 | p99 | Max | Mean | Reads during the switches | p50 / baseline p50 |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        string directory = Directory.CreateTempSubdirectory("kappa-switch-latency-").FullName;
        try
        {
            var sqlite = new SqliteSinkDatabase(Path.Combine(directory, "serving.db"));
            Measure("SQLite", sqlite, () => sqlite.OpenConnection(), switches, name => SqliteIdentifier.Quote(name));
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
                    Measure("PostgreSQL 15", pg, () => pg.OpenConnection(), switches, name => PostgreSqlIdentifier.Qualify(schema, name));
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

    private static void Measure(string name, ISinkDatabase db, Func<DbConnection> open, int switches, Func<string, string> relation)
    {
        Fill(db, open, relation);
        db.SwitchServingViews(V1);
        Stats baseline = Switch(db, switches, readers: null);
        Report(name, "none (baseline)", baseline, baseline);
        string served = $"SELECT count(*), max(amount) FROM {relation("served")}";
        string extra = $"SELECT count(*), max(amount) FROM {relation("extra")}";
        Report(name, "4 threads, one statement per view", Switch(db, switches, (index, stop) => Statements(open, stop, served, extra)), baseline);
        Report(name, "4 threads, both views in one read transaction, 2 in each order", Switch(db, switches, (index, stop) => Transactions(open, stop, index % 2 == 0 ? [served, extra] : [extra, served])), baseline);
    }

    private static Stats Switch(ISinkDatabase db, int switches, Func<int, CancellationToken, long>? readers)
    {
        using var stop = new CancellationTokenSource();
        long reads = 0;
        var threads = readers is null ? [] : Enumerable.Range(0, 4).Select(i => new Thread(() => Interlocked.Add(ref reads, readers(i, stop.Token))) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        Thread.Sleep(threads.Count > 0 ? 200 : 0);
        var latencies = new double[switches];
        for (int i = 0; i < switches; i++)
        {
            long start = Stopwatch.GetTimestamp();
            db.SwitchServingViews(i % 2 == 0 ? V2 : V1);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        stop.Cancel();
        threads.ForEach(t => t.Join());
        db.SwitchServingViews(V1);
        Array.Sort(latencies);
        return new Stats(latencies[(switches - 1) / 2], latencies[(int)Math.Ceiling(switches * 0.99) - 1], latencies[^1], latencies.Average(), switches, reads);
    }

    private static long Statements(Func<DbConnection> open, CancellationToken stop, string first, string second)
    {
        using DbConnection connection = open();
        long reads = 0;
        while (!stop.IsCancellationRequested)
        {
            foreach (string sql in new[] { first, second })
            {
                using DbCommand command = connection.CreateCommand();
                command.CommandText = sql;
                command.ExecuteScalar();
                reads++;
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

    private static void Fill(ISinkDatabase db, Func<DbConnection> open, Func<string, string> relation)
    {
        foreach (SinkTarget target in V1.Concat(V2))
        {
            using (ISinkTable<ServingRow> table = db.OpenTable<ServingRow>(target))
            {
                table.Open(target.Topic);
            }

            using DbConnection connection = open();
            using DbCommand insert = connection.CreateCommand();
            insert.CommandText = connection is SqliteConnection
                ? $"WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 10000) INSERT INTO {relation(target.Table)} (customer, amount, version, _kappa_partition, _kappa_offset, _kappa_key) SELECT 'c' || v, v, {target.Version}, 0, v, CAST('c' || v AS BLOB) FROM n"
                : $"INSERT INTO {relation(target.Table)} (customer, amount, version, _kappa_partition, _kappa_offset, _kappa_key) SELECT 'c' || v, v, {target.Version}, 0, v, convert_to('c' || v, 'UTF8') FROM generate_series(1, 10000) v";
            insert.ExecuteNonQuery();
        }
    }

    private static void Report(string database, string readers, Stats stats, Stats baseline) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {database} | {readers} | {stats.Switches} | {stats.P50:0.00} ms | {stats.P99:0.00} ms | {stats.Max:0.00} ms | {stats.Mean:0.00} ms | {stats.Reads} | {stats.P50 / baseline.P50:0.00}x |"));

    private sealed record Stats(double P50, double P99, double Max, double Mean, int Switches, long Reads);
}
