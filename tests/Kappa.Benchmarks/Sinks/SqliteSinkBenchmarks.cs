using BenchmarkDotNet.Attributes;
using Kappa.Sinks;
using Kappa.Sqlite;
using Microsoft.Data.Sqlite;

namespace Kappa.Benchmarks.Sinks;

/// <summary>
/// 10,000 decoded rows into a SQLite table in one transaction: Kappa's append and upsert writers (raw SQLitePCL binding
/// through the generated-style struct row writer, plus the offsets row) against a raw prepared
/// <see cref="SqliteCommand"/> with parameters reused for every row (the baseline), into the same table shape. The
/// tables are emptied before each iteration. Allocated bytes per op / 10,000 = bytes per row.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10, invocationCount: 1)]
public class SqliteSinkBenchmarks
{
    private string _directory = null!;
    private SqliteSinkDatabase _database = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _insert = null!;
    private SqliteParameter[] _parameters = null!;
    private ISinkTable<BenchLedgerRow.Append> _append = null!;
    private ISinkTable<BenchLedgerRow.Upsert> _upsert = null!;
    private SinkBatch<BenchLedgerRow.Append> _appendBatch = null!;
    private SinkBatch<BenchLedgerRow.Upsert> _upsertBatch = null!;
    private List<BenchLedgerRow> _rows = null!;
    private readonly Action<IReadOnlyList<SinkRejection>> _noRejections = static rejections =>
    {
        if (rejections.Count > 0)
        {
            throw new InvalidOperationException($"{rejections.Count} rows refused: {rejections[0].Message}");
        }
    };

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("kappa-sink-bench-").FullName;
        _database = new SqliteSinkDatabase(Path.Combine(_directory, "bench.db"));
        _rows = BenchLedgerRow.Create(SinkBatches.Rows, distinctIds: SinkBatches.Rows / 2);
        _append = _database.OpenTable<BenchLedgerRow.Append>(new SinkTarget("bench-append", 1));
        _append.Open("bench-append.v1");
        _upsert = _database.OpenTable<BenchLedgerRow.Upsert>(new SinkTarget("bench-upsert", 1));
        _upsert.Open("bench-upsert.v1");
        _appendBatch = SinkBatches.Fill("bench-append.v1", _rows.Select(r => new BenchLedgerRow.Append { Row = r }).ToList());
        _upsertBatch = SinkBatches.Fill("bench-upsert.v1", _rows.Select(r => new BenchLedgerRow.Upsert { Row = r }).ToList());

        _raw = _database.OpenConnection();
        foreach (string ddl in SqliteDdl.CreateTable(BenchLedgerRow.Append.TableSchema, "raw_v1"))
        {
            SqliteSinkDatabase.Execute(_raw, ddl);
        }

        _insert = _raw.CreateCommand();
        _insert.CommandText = "INSERT INTO raw_v1 (_kappa_partition, _kappa_offset, id, account, amount, at, memo) VALUES ($p, $o, $id, $account, $amount, $at, $memo)";
        _parameters = new[] { "$p", "$o", "$id", "$account", "$amount", "$at", "$memo" }.Select(n => _insert.Parameters.Add(n, SqliteType.Integer)).ToArray();
        _parameters[3].SqliteType = SqliteType.Text;
        _parameters[4].SqliteType = SqliteType.Text;
        _parameters[5].SqliteType = SqliteType.Text;
        _parameters[6].SqliteType = SqliteType.Text;
    }

    [IterationSetup]
    public void Empty()
    {
        SqliteSinkDatabase.Execute(_raw, "DELETE FROM raw_v1; DELETE FROM bench_append_v1; DELETE FROM bench_upsert_v1; DELETE FROM _kappa_offsets;");
    }

    [Benchmark(Baseline = true)]
    public void RawPreparedInsert()
    {
        using SqliteTransaction transaction = _raw.BeginTransaction();
        _insert.Transaction = transaction;
        _insert.Prepare();
        for (int i = 0; i < _rows.Count; i++)
        {
            BenchLedgerRow row = _rows[i];
            _parameters[0].Value = i % 4;
            _parameters[1].Value = (long)(i / 4);
            _parameters[2].Value = row.Id;
            _parameters[3].Value = row.Account;
            _parameters[4].Value = row.Amount;
            _parameters[5].Value = row.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            _parameters[6].Value = row.Memo;
            _insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    [Benchmark]
    public void KappaAppend() => _append.Write(_appendBatch, _noRejections);

    [Benchmark]
    public void KappaUpsert() => _upsert.Write(_upsertBatch, _noRejections);

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _raw.Dispose();
        _append.Dispose();
        _upsert.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
