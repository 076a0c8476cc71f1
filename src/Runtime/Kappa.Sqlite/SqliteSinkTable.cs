using Kappa.Sinks;
using Kappa.Transport;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Kappa.Sqlite;

/// <summary>
/// A sink writer's session on one SQLite table: its own connection and statements prepared once. A batch is one
/// <c>BEGIN IMMEDIATE</c> transaction: each row is one step of the prepared insert (append) or upsert, each tombstone
/// one delete by record key, then the offsets. A row SQLite refuses (a constraint) fails only its own statement: it is
/// reported and the batch goes on. The session holds the lock file <c>{database}.{table}.lock</c>: one writer per table.
/// </summary>
internal sealed class SqliteSinkTable<T> : ISinkTable<T>
    where T : ITableRecord<T>
{
    private readonly SqliteConnection _connection;
    private readonly SinkTarget _target;
    private readonly TableSchema _schema;
    private readonly SqliteRowBuffers _buffers = new();
    private readonly List<SinkRejection> _rejections = new();
    private readonly List<sqlite3_stmt> _statements = new();
    private sqlite3 _db = null!;
    private sqlite3_stmt _insert = null!;
    private sqlite3_stmt? _delete;
    private sqlite3_stmt _offset = null!;
    private sqlite3_stmt _begin = null!;
    private sqlite3_stmt _commit = null!;
    private sqlite3_stmt _rollback = null!;
    private byte[] _topicUtf8 = [];
    private byte[] _tableUtf8 = [];
    private FileStream? _lock;

    public SqliteSinkTable(SqliteConnection connection, SinkTarget target)
    {
        _connection = connection;
        _target = target;
        _schema = T.TableSchema;
    }

    public IReadOnlyDictionary<int, long> Open(string topic)
    {
        // One writer per table: a lock file next to the database, held while the session lives and released by the OS
        // when the process dies (SIGKILL included). A second writer fails here and retries until the first is gone.
        string lockPath = $"{_connection.DataSource}.{_target.Table}.lock";
        try
        {
            _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            throw new InvalidOperationException($"Another sink writer holds table {_target.Table} of {_connection.DataSource} (its lock file {lockPath} is taken); one writer per table. Waiting for it to go away.", error);
        }

        SqliteSinkDatabase.Execute(_connection, SqliteDdl.CreateOffsets);
        foreach (string ddl in SqliteDdl.CreateTable(_schema, _target.Table))
        {
            SqliteSinkDatabase.Execute(_connection, ddl);
        }

        CheckColumns();
        _db = _connection.Handle ?? throw new InvalidOperationException("The SQLite connection has no handle.");
        _insert = Prepare(SqliteDdl.Insert(_schema, _target.Table));
        _delete = _schema.Mode == TableMode.Upsert ? Prepare(SqliteDdl.DeleteByKey(_target.Table)) : null;
        _offset = Prepare(SqliteDdl.UpsertOffset);
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _topicUtf8 = System.Text.Encoding.UTF8.GetBytes(topic);
        _tableUtf8 = System.Text.Encoding.UTF8.GetBytes(_target.Table);

        return SqliteDdl.ReadOffsets(_connection, _target.Table, topic);
    }

    public void Write(SinkBatch<T> batch, Action<IReadOnlyList<SinkRejection>> beforeCommit)
    {
        _rejections.Clear();
        Step(_begin, "BEGIN IMMEDIATE");
        try
        {
            int keyParameters = _schema.Mode == TableMode.Upsert ? 3 : 2;
            for (int i = 0; i < batch.Count; i++)
            {
                ref readonly SinkRow<T> row = ref batch[i];
                sqlite3_stmt statement;
                if (row.IsTombstone)
                {
                    statement = _delete!;
                    var writer = new SqliteRowWriter(statement, _buffers, 1);
                    writer.WriteKey(batch.Key(i), row.KeyIsNull);
                }
                else
                {
                    statement = _insert;
                    var writer = new SqliteRowWriter(statement, _buffers, 1);
                    writer.WriteInt32(row.Partition);
                    writer.WriteInt64(row.Offset);
                    if (keyParameters == 3)
                    {
                        writer.WriteKey(batch.Key(i), row.KeyIsNull);
                    }

                    T.WriteRow(in row.Value, ref writer);
                }

                int rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    int extended = raw.sqlite3_extended_errcode(_db);
                    string message = raw.sqlite3_errmsg(_db).utf8_to_string();
                    raw.sqlite3_reset(statement);
                    if (!IsRowRefusal(rc))
                    {
                        throw new SqliteSinkException($"SQLite failed writing {_target.Table} at {batch.Topic}-{row.Partition}@{row.Offset}: {message} (code {extended}).", extended);
                    }

                    _rejections.Add(new SinkRejection(i, message, extended.ToString(System.Globalization.CultureInfo.InvariantCulture), typeof(SqliteSinkException).FullName!));
                }
                else
                {
                    raw.sqlite3_reset(statement);
                }
            }

            foreach (TopicPartitionOffset next in batch.NextOffsets)
            {
                raw.sqlite3_bind_text(_offset, 1, _tableUtf8);
                raw.sqlite3_bind_text(_offset, 2, _topicUtf8);
                raw.sqlite3_bind_int(_offset, 3, next.Partition);
                raw.sqlite3_bind_int64(_offset, 4, next.Offset);
                Step(_offset, "storing offsets");
            }

            beforeCommit(_rejections);
            Step(_commit, "COMMIT");
        }
        catch
        {
            if (raw.sqlite3_get_autocommit(_db) == 0)
            {
                raw.sqlite3_step(_rollback);
                raw.sqlite3_reset(_rollback);
            }

            throw;
        }
    }

    /// <summary>Errors that belong to one row's values: the statement is rolled back, the transaction goes on.</summary>
    private static bool IsRowRefusal(int rc) => rc is raw.SQLITE_CONSTRAINT or raw.SQLITE_MISMATCH or raw.SQLITE_TOOBIG or raw.SQLITE_RANGE;

    private void Step(sqlite3_stmt statement, string what)
    {
        int rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            int extended = raw.sqlite3_extended_errcode(_db);
            throw new SqliteSinkException($"SQLite failed {what} for {_target.Table}: {raw.sqlite3_errmsg(_db).utf8_to_string()} (code {extended}).", extended);
        }
    }

    private sqlite3_stmt Prepare(string sql)
    {
        int rc = raw.sqlite3_prepare_v2(_db, sql, out sqlite3_stmt statement);
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteSinkException($"SQLite could not prepare a statement for {_target.Table}: {raw.sqlite3_errmsg(_db).utf8_to_string()} ({sql}).", rc);
        }

        _statements.Add(statement);
        return statement;
    }

    private void CheckColumns()
    {
        IReadOnlyList<string> expected = SqliteDdl.AllColumns(_schema);
        var actual = new List<string>();
        using SqliteCommand info = _connection.CreateCommand();
        info.CommandText = "SELECT name FROM pragma_table_info($table) ORDER BY cid";
        info.Parameters.AddWithValue("$table", _target.Table);
        using (SqliteDataReader reader = info.ExecuteReader())
        {
            while (reader.Read())
            {
                actual.Add(reader.GetString(0));
            }
        }

        if (!actual.SequenceEqual(expected, StringComparer.Ordinal))
        {
            throw new TableSchemaException($"Table {_target.Table} in {_connection.DataSource} has columns ({string.Join(", ", actual)}) but {typeof(T).FullName} writes ({string.Join(", ", expected)}). A version's columns never change: give the changed type a new sink version, or drop the table to rebuild it from its topic.");
        }
    }

    public void Dispose()
    {
        foreach (sqlite3_stmt statement in _statements)
        {
            statement.Dispose();
        }

        _buffers.JsonWriter.Dispose();
        _connection.Dispose();
        _lock?.Dispose();
    }
}
