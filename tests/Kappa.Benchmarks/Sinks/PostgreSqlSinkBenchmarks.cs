using BenchmarkDotNet.Attributes;
using Kappa.PostgreSql;
using Kappa.Sinks;
using Npgsql;
using NpgsqlTypes;

namespace Kappa.Benchmarks.Sinks;

/// <summary>
/// 10,000 decoded rows into a PostgreSQL table in one transaction: a raw Npgsql binary COPY of the same rows into the
/// same table shape (the baseline), Kappa's append writer (binary COPY through the struct row writer, plus the offsets)
/// and Kappa's upsert writer (COPY into the staging table, then INSERT ... ON CONFLICT; 5,000 distinct keys). Needs
/// KAPPA_POSTGRES (scripts/postgres.sh start); uses a schema of its own, dropped at the end.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10, invocationCount: 1)]
public class PostgreSqlSinkBenchmarks
{
    private readonly string _schema = "kappa_bench_" + Guid.NewGuid().ToString("N")[..8];
    private PostgreSqlSinkDatabase _database = null!;
    private NpgsqlConnection _raw = null!;
    private ISinkTable<BenchLedgerRow.Append> _append = null!;
    private ISinkTable<BenchLedgerRow.Upsert> _upsert = null!;
    private SinkBatch<BenchLedgerRow.Append> _appendBatch = null!;
    private SinkBatch<BenchLedgerRow.Upsert> _upsertBatch = null!;
    private List<BenchLedgerRow> _rows = null!;
    private string _copy = null!;
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
        string connection = Environment.GetEnvironmentVariable("KAPPA_POSTGRES")
            ?? throw new InvalidOperationException("Set KAPPA_POSTGRES (eval \"$(scripts/postgres.sh start)\"; export KAPPA_POSTGRES) to run the PostgreSQL sink benchmarks.");
        _database = new PostgreSqlSinkDatabase(connection, _schema);
        _rows = BenchLedgerRow.Create(SinkBatches.Rows, distinctIds: SinkBatches.Rows / 2);
        _append = _database.OpenTable<BenchLedgerRow.Append>(new SinkTarget("bench-append", 1));
        _append.Open("bench-append.v1");
        _upsert = _database.OpenTable<BenchLedgerRow.Upsert>(new SinkTarget("bench-upsert", 1));
        _upsert.Open("bench-upsert.v1");
        _appendBatch = SinkBatches.Fill("bench-append.v1", _rows.Select(r => new BenchLedgerRow.Append { Row = r }).ToList());
        _upsertBatch = SinkBatches.Fill("bench-upsert.v1", _rows.Select(r => new BenchLedgerRow.Upsert { Row = r }).ToList());

        _raw = _database.OpenConnection();
        var ddl = new PostgreSqlDdl(_schema, "raw_v1", BenchLedgerRow.Append.TableSchema);
        foreach (string statement in ddl.CreateTable())
        {
            Execute(statement);
        }

        _copy = ddl.CopyIntoTable();
    }

    [IterationSetup]
    public void Empty() =>
        Execute($"TRUNCATE {PostgreSqlIdentifier.Qualify(_schema, "raw_v1")}, {PostgreSqlIdentifier.Qualify(_schema, "bench_append_v1")}, {PostgreSqlIdentifier.Qualify(_schema, "bench_upsert_v1")}, {PostgreSqlIdentifier.Qualify(_schema, "_kappa_offsets")}");

    [Benchmark(Baseline = true)]
    public void RawBinaryCopy()
    {
        using NpgsqlTransaction transaction = _raw.BeginTransaction();
        using (NpgsqlBinaryImporter importer = _raw.BeginBinaryImport(_copy))
        {
            for (int i = 0; i < _rows.Count; i++)
            {
                BenchLedgerRow row = _rows[i];
                importer.StartRow();
                importer.Write(i % 4, NpgsqlDbType.Integer);
                importer.Write((long)(i / 4), NpgsqlDbType.Bigint);
                importer.Write(row.Id, NpgsqlDbType.Bigint);
                importer.Write(row.Account, NpgsqlDbType.Text);
                importer.Write(row.Amount, NpgsqlDbType.Numeric);
                importer.Write(row.At, NpgsqlDbType.TimestampTz);
                importer.Write(row.Memo, NpgsqlDbType.Text);
            }

            importer.Complete();
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
        _append.Dispose();
        _upsert.Dispose();
        Execute($"DROP SCHEMA {PostgreSqlIdentifier.Quote(_schema)} CASCADE");
        _raw.Dispose();
        _database.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, _raw);
        command.ExecuteNonQuery();
    }
}
