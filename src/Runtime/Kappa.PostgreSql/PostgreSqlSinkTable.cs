using System.Globalization;
using Kappa.Sinks;
using Kappa.Transport;
using Npgsql;
using NpgsqlTypes;

namespace Kappa.PostgreSql;

/// <summary>
/// A sink writer's session on one PostgreSQL table: one connection holding a session advisory lock on the table (a
/// second writer of the same table waits instead of doubling rows). A batch is one transaction: the rows through the
/// mode's applier, then the offsets. When PostgreSQL refuses the batch for a row's data (SQLSTATE class 22 or 23), the
/// transaction is rolled back and the batch redone row by row, each under a SAVEPOINT, so only the refused rows are
/// left out; everything else commits with the offsets.
/// </summary>
internal sealed class PostgreSqlSinkTable<T> : ISinkTable<T>
    where T : ITableRecord<T>
{
    private readonly NpgsqlConnection _connection;
    private readonly PostgreSqlDdl _ddl;
    private readonly SinkTarget _target;
    private readonly PostgreSqlRowBuffers _buffers = new();
    private readonly List<SinkRejection> _rejections = new();
    private IPostgreSqlBatchApplier<T>? _applier;
    private NpgsqlCommand? _offsets;
    private string _topic = string.Empty;

    public PostgreSqlSinkTable(NpgsqlConnection connection, string schema, SinkTarget target)
    {
        _connection = connection;
        _target = target;
        _ddl = new PostgreSqlDdl(schema, target.Table, T.TableSchema);
    }

    public IReadOnlyDictionary<int, long> Open(string topic)
    {
        _topic = topic;
        using (var lockCommand = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@name, 0))", _connection))
        {
            lockCommand.Parameters.AddWithValue("name", $"kappa sink {_ddl.Schema}.{_ddl.Table}");
            if (lockCommand.ExecuteScalar() is not true)
            {
                throw new InvalidOperationException($"Another sink writer holds table {_ddl.QualifiedTable} (its session advisory lock is taken); one writer per table. Waiting for it to go away.");
            }
        }

        using (NpgsqlTransaction ddl = _connection.BeginTransaction())
        {
            Execute(PostgreSqlDdl.CreateShared(_ddl.Schema));
            foreach (string statement in _ddl.CreateTable())
            {
                Execute(statement);
            }

            CheckColumns();
            ddl.Commit();
        }

        if (T.TableSchema.Mode == TableMode.Upsert)
        {
            Execute(_ddl.CreateStaging());
            _applier = new PostgreSqlUpsertApplier<T>(_connection, _ddl, _buffers);
        }
        else
        {
            _applier = new PostgreSqlAppendApplier<T>(_connection, _ddl, _buffers);
        }

        _offsets = new NpgsqlCommand(_ddl.UpsertOffsets(), _connection);
        _offsets.Parameters.Add(new NpgsqlParameter<string>("table", NpgsqlDbType.Text) { TypedValue = _target.Table });
        _offsets.Parameters.Add(new NpgsqlParameter<string>("topic", NpgsqlDbType.Text) { TypedValue = topic });
        _offsets.Parameters.Add(new NpgsqlParameter<int[]>("partitions", NpgsqlDbType.Array | NpgsqlDbType.Integer));
        _offsets.Parameters.Add(new NpgsqlParameter<long[]>("offsets", NpgsqlDbType.Array | NpgsqlDbType.Bigint));

        return PostgreSqlDdl.ReadOffsets(_connection, _ddl.Schema, _target.Table, topic);
    }

    public void Write(SinkBatch<T> batch, Action<IReadOnlyList<SinkRejection>> beforeCommit)
    {
        IPostgreSqlBatchApplier<T> applier = _applier ?? throw new InvalidOperationException("Open the table first.");
        _rejections.Clear();
        NpgsqlTransaction transaction = _connection.BeginTransaction();
        try
        {
            try
            {
                applier.Apply(batch, 0, batch.Count);
            }
            catch (PostgresException error) when (IsRowRefusal(error))
            {
                transaction.Rollback();
                transaction.Dispose();
                applier.Reset();
                transaction = _connection.BeginTransaction();
                ApplyRowByRow(batch, applier, transaction);
            }

            StoreOffsets(batch);
            beforeCommit(_rejections);
            transaction.Commit();
            applier.Committed();
        }
        catch
        {
            applier.Reset();
            TryRollback(transaction);
            throw;
        }
        finally
        {
            transaction.Dispose();
        }
    }

    /// <summary>Data exceptions (22xxx: out of range, bad encoding such as NUL in text) and integrity violations (23xxx: not null, unique, check).</summary>
    internal static bool IsRowRefusal(PostgresException error) =>
        error.SqlState.StartsWith("22", StringComparison.Ordinal) || error.SqlState.StartsWith("23", StringComparison.Ordinal);

    private void ApplyRowByRow(SinkBatch<T> batch, IPostgreSqlBatchApplier<T> applier, NpgsqlTransaction transaction)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            transaction.Save("kappa_row");
            try
            {
                applier.Apply(batch, i, i + 1);
                transaction.Release("kappa_row");
            }
            catch (PostgresException error) when (IsRowRefusal(error))
            {
                transaction.Rollback("kappa_row");
                applier.Reset();
                string message = error.Detail is { Length: > 0 } detail ? $"{error.MessageText} ({detail})" : error.MessageText;
                _rejections.Add(new SinkRejection(i, message, error.SqlState, error.GetType().FullName!));
            }
        }
    }

    private void StoreOffsets(SinkBatch<T> batch)
    {
        IReadOnlyList<TopicPartitionOffset> next = batch.NextOffsets;
        var partitions = new int[next.Count];
        var offsets = new long[next.Count];
        for (int i = 0; i < next.Count; i++)
        {
            partitions[i] = next[i].Partition;
            offsets[i] = next[i].Offset;
        }

        ((NpgsqlParameter<int[]>)_offsets!.Parameters[2]).TypedValue = partitions;
        ((NpgsqlParameter<long[]>)_offsets.Parameters[3]).TypedValue = offsets;
        _offsets.ExecuteNonQuery();
    }

    private void CheckColumns()
    {
        var actual = new List<string>();
        using (var info = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = @schema AND table_name = @table ORDER BY ordinal_position", _connection))
        {
            info.Parameters.AddWithValue("schema", _ddl.Schema);
            info.Parameters.AddWithValue("table", _ddl.Table);
            using NpgsqlDataReader reader = info.ExecuteReader();
            while (reader.Read())
            {
                actual.Add(reader.GetString(0));
            }
        }

        if (!actual.SequenceEqual(_ddl.AllColumns, StringComparer.Ordinal))
        {
            throw new TableSchemaException($"Table {_ddl.QualifiedTable} has columns ({string.Join(", ", actual)}) but {typeof(T).FullName} writes ({string.Join(", ", _ddl.AllColumns)}). A version's columns never change: give the changed type a new sink version, or drop the table to rebuild it from its topic.");
        }
    }

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        command.ExecuteNonQuery();
    }

    private static void TryRollback(NpgsqlTransaction transaction)
    {
        try
        {
            if (transaction.Connection is not null)
            {
                transaction.Rollback();
            }
        }
        catch (Exception)
        {
            // the connection is gone: the server rolls the transaction back itself
        }
    }

    public void Dispose()
    {
        _applier?.Dispose();
        _offsets?.Dispose();
        _buffers.Dispose();
        ReleaseLock();
        _connection.Dispose();
    }

    /// <summary>
    /// Releases the table's advisory lock before the connection goes back to Npgsql's pool (a pooled connection keeps its
    /// session, and with it the lock, until it is reused). A broken connection needs nothing: its backend ends and the
    /// server releases the lock.
    /// </summary>
    private void ReleaseLock()
    {
        if (_connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", _connection);
            unlock.ExecuteNonQuery();
        }
        catch (Exception)
        {
            // the connection broke meanwhile: the server releases the lock with the session
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_ddl.QualifiedTable} from {_topic}");
}
