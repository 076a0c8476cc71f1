using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Kappa.Sinks;
using Kappa.Sqlite;
using Microsoft.Data.Sqlite;

namespace Kappa.Benchmarks.Lifecycle;

/// <summary>
/// Promote's view switch (<c>ISinkDatabase.SwitchServingView</c> on SQLite, between two versions' tables of 10,000 rows)
/// while 4 threads query the view continuously, against the same switch with no reader (baseline). Median, P95 and the
/// maximum of the iterations are reported.
/// </summary>
[Config(typeof(PercentileConfig))]
public class ViewSwitchBenchmarks
{
    private readonly SinkTarget _v1 = new("served", 1);
    private readonly SinkTarget _v2 = new("served", 2);
    private string _directory = string.Empty;
    private SqliteSinkDatabase _quiet = null!;
    private SqliteSinkDatabase _busy = null!;
    private CancellationTokenSource? _readers;
    private List<Thread> _threads = new();
    private int _switches;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("kappa-bench-switch-").FullName;
        _quiet = Create("quiet.db");
        _busy = Create("busy.db");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup(Target = nameof(SwitchWithReaders))]
    public void StartReaders()
    {
        _readers = new CancellationTokenSource();
        CancellationToken stop = _readers.Token;
        _threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            using SqliteConnection connection = _busy.OpenConnection();
            while (!stop.IsCancellationRequested)
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = "SELECT count(*), max(amount) FROM served";
                command.ExecuteScalar();
            }
        }) { IsBackground = true }).ToList();
        _threads.ForEach(t => t.Start());
        Thread.Sleep(5);
    }

    [IterationCleanup(Target = nameof(SwitchWithReaders))]
    public void StopReaders()
    {
        _readers?.Cancel();
        _threads.ForEach(t => t.Join());
        _readers?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void SwitchWithoutReaders() => _quiet.SwitchServingViews([++_switches % 2 == 0 ? _v1 : _v2]);

    [Benchmark]
    public void SwitchWithReaders() => _busy.SwitchServingViews([++_switches % 2 == 0 ? _v1 : _v2]);

    private SqliteSinkDatabase Create(string file)
    {
        var db = new SqliteSinkDatabase(Path.Combine(_directory, file));
        foreach (SinkTarget target in new[] { _v1, _v2 })
        {
            using ISinkTable<ServingRow> table = db.OpenTable<ServingRow>(target);
            table.Open(target.Topic);
        }

        using SqliteConnection connection = db.OpenConnection();
        foreach (SinkTarget target in new[] { _v1, _v2 })
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            using SqliteCommand insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO {target.Table} (customer, amount, version, _kappa_partition, _kappa_offset, _kappa_key) SELECT 'c' || value, value, {target.Version}, 0, value, CAST('c' || value AS BLOB) FROM generate_series(1, 10000)";
            try
            {
                insert.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // No generate_series in this SQLite build: a recursive CTE instead.
                insert.CommandText = $"WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 10000) INSERT INTO {target.Table} (customer, amount, version, _kappa_partition, _kappa_offset, _kappa_key) SELECT 'c' || v, v, {target.Version}, 0, v, CAST('c' || v AS BLOB) FROM n";
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        db.SwitchServingViews([_v1]);
        return db;
    }

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig()
        {
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);
        }
    }
}
