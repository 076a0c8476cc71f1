using Kappa.Sinks;
using Npgsql;
using NpgsqlTypes;

namespace Kappa.PostgreSql;

/// <summary>
/// Upsert tables: each run of values is binary-COPied into the connection's staging table with a sequence number, then
/// merged with <c>INSERT ... SELECT DISTINCT ON (keys) ... ORDER BY keys, seq DESC ON CONFLICT (keys) DO UPDATE</c>;
/// each run of tombstones is one <c>DELETE ... WHERE _kappa_key = ANY(keys)</c>. Runs are applied in batch order, so a
/// key's value written after its tombstone survives and one written before it does not.
/// </summary>
internal sealed class PostgreSqlUpsertApplier<T> : IPostgreSqlBatchApplier<T>
    where T : ITableRecord<T>
{
    private readonly NpgsqlConnection _connection;
    private readonly PostgreSqlRowBuffers _buffers;
    private readonly string _copy;
    private readonly NpgsqlCommand _merge;
    private readonly NpgsqlCommand _truncate;
    private readonly NpgsqlCommand _delete;
    private readonly NpgsqlParameter<byte[][]> _keys;
    private bool _stagingDirty;

    public PostgreSqlUpsertApplier(NpgsqlConnection connection, PostgreSqlDdl ddl, PostgreSqlRowBuffers buffers)
    {
        _connection = connection;
        _buffers = buffers;
        _copy = ddl.CopyIntoStaging();
        _merge = new NpgsqlCommand(ddl.MergeStaging(), connection);
        _truncate = new NpgsqlCommand(PostgreSqlDdl.TruncateStaging(), connection);
        _delete = new NpgsqlCommand(ddl.DeleteByKeys(), connection);
        _keys = new NpgsqlParameter<byte[][]>("keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea);
        _delete.Parameters.Add(_keys);
    }

    public void Apply(SinkBatch<T> batch, int from, int to)
    {
        int i = from;
        while (i < to)
        {
            int end = i;
            bool tombstones = batch[i].IsTombstone;
            while (end < to && batch[end].IsTombstone == tombstones)
            {
                end++;
            }

            if (tombstones)
            {
                Delete(batch, i, end);
            }
            else
            {
                Merge(batch, i, end);
            }

            i = end;
        }
    }

    public void Reset() => _stagingDirty = true;

    public void Committed() => _stagingDirty = false;

    private void Merge(SinkBatch<T> batch, int from, int to)
    {
        if (_stagingDirty)
        {
            _truncate.ExecuteNonQuery();
            _stagingDirty = false;
        }

        _stagingDirty = true;
        using (NpgsqlBinaryImporter importer = _connection.BeginBinaryImport(_copy))
        {
            var writer = new PostgreSqlRowWriter(importer, _buffers);
            for (int i = from; i < to; i++)
            {
                ref readonly SinkRow<T> row = ref batch[i];
                importer.StartRow();
                writer.WriteInt64(i);
                writer.WriteInt32(row.Partition);
                writer.WriteInt64(row.Offset);
                writer.WriteKey(batch.KeyMemory(i), row.KeyIsNull);
                T.WriteRow(in row.Value, ref writer);
            }

            importer.Complete();
        }

        _merge.ExecuteNonQuery();
    }

    private void Delete(SinkBatch<T> batch, int from, int to)
    {
        var keys = new byte[to - from][];
        for (int i = from; i < to; i++)
        {
            keys[i - from] = batch.Key(i).ToArray();
        }

        _keys.TypedValue = keys;
        _delete.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _merge.Dispose();
        _truncate.Dispose();
        _delete.Dispose();
    }
}
