using Kappa.Sinks;
using Npgsql;

namespace Kappa.PostgreSql;

/// <summary>Append tables: binary COPY of the rows straight into the table.</summary>
internal sealed class PostgreSqlAppendApplier<T> : IPostgreSqlBatchApplier<T>
    where T : ITableRecord<T>
{
    private readonly NpgsqlConnection _connection;
    private readonly PostgreSqlRowBuffers _buffers;
    private readonly string _copy;

    public PostgreSqlAppendApplier(NpgsqlConnection connection, PostgreSqlDdl ddl, PostgreSqlRowBuffers buffers)
    {
        _connection = connection;
        _buffers = buffers;
        _copy = ddl.CopyIntoTable();
    }

    public void Apply(SinkBatch<T> batch, int from, int to)
    {
        using NpgsqlBinaryImporter importer = _connection.BeginBinaryImport(_copy);
        var writer = new PostgreSqlRowWriter(importer, _buffers);
        for (int i = from; i < to; i++)
        {
            ref readonly SinkRow<T> row = ref batch[i];
            importer.StartRow();
            writer.WriteInt32(row.Partition);
            writer.WriteInt64(row.Offset);
            T.WriteRow(in row.Value, ref writer);
        }

        importer.Complete();
    }

    public void Reset()
    {
    }

    public void Committed()
    {
    }

    public void Dispose()
    {
    }
}
