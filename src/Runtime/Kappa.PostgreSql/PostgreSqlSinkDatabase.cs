using Kappa.Sinks;
using Npgsql;

namespace Kappa.PostgreSql;

/// <summary>
/// Serving tables in one schema of a PostgreSQL database (default <c>public</c>). Tables, the offsets table
/// <c>_kappa_offsets</c> and the serving record <c>_kappa_serving</c> live in that schema; every identifier is quoted.
/// </summary>
public sealed class PostgreSqlSinkDatabase : ISinkDatabase, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlSinkDatabase(string connectionString, string schema = "public")
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        PostgreSqlIdentifier.Validate(schema);
        Schema = schema;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _dataSource = NpgsqlDataSource.Create(builder);
        Description = $"postgresql schema {schema} at {builder.Host}:{builder.Port}/{builder.Database}";
    }

    public string Schema { get; }

    public string Description { get; }

    /// <summary>A new open connection to the database (callers dispose it).</summary>
    public NpgsqlConnection OpenConnection() => _dataSource.OpenConnection();

    public ISinkTable<T> OpenTable<T>(SinkTarget target)
        where T : ITableRecord<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        NpgsqlConnection connection = _dataSource.OpenConnection();
        try
        {
            return new PostgreSqlSinkTable<T>(connection, Schema, target);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One transaction: <c>CREATE OR REPLACE VIEW</c> when the new table's columns extend the view's, else
    /// <c>DROP VIEW</c> + <c>CREATE VIEW</c> (transactional DDL: readers wait on the view's lock and then see the new
    /// definition), and the serving record.
    /// </summary>
    public void SwitchServingView(SinkTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        string view = PostgreSqlIdentifier.Qualify(Schema, target.View);
        string table = PostgreSqlIdentifier.Qualify(Schema, target.Table);
        using NpgsqlConnection connection = _dataSource.OpenConnection();
        Execute(connection, PostgreSqlDdl.CreateServing(Schema));
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        Execute(connection, $"LOCK TABLE {PostgreSqlIdentifier.Qualify(Schema, PostgreSqlDdl.ServingTable)} IN SHARE ROW EXCLUSIVE MODE");
        var columns = new List<string>();
        using (var info = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = @schema AND table_name = @table ORDER BY ordinal_position", connection))
        {
            info.Parameters.AddWithValue("schema", Schema);
            info.Parameters.AddWithValue("table", target.Table);
            using NpgsqlDataReader reader = info.ExecuteReader();
            while (reader.Read())
            {
                string name = reader.GetString(0);
                if (!name.StartsWith(TableSchema.ReservedPrefix, StringComparison.Ordinal))
                {
                    columns.Add(name);
                }
            }
        }

        if (columns.Count == 0)
        {
            throw new InvalidOperationException($"Cannot switch view {view} to {table}: the table does not exist in {Description} (start its sink writer first).");
        }

        string select = $"SELECT {string.Join(", ", columns.Select(PostgreSqlIdentifier.Quote))} FROM {table}";
        transaction.Save("kappa_view");
        try
        {
            Execute(connection, $"CREATE OR REPLACE VIEW {view} AS {select}");
            transaction.Release("kappa_view");
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.InvalidTableDefinition)
        {
            transaction.Rollback("kappa_view");
            Execute(connection, $"DROP VIEW IF EXISTS {view}");
            Execute(connection, $"CREATE VIEW {view} AS {select}");
        }

        using (var record = new NpgsqlCommand($"INSERT INTO {PostgreSqlIdentifier.Qualify(Schema, PostgreSqlDdl.ServingTable)} (sink, table_name, version, switched_at) VALUES (@sink, @table, @version, now()) ON CONFLICT (sink) DO UPDATE SET table_name = EXCLUDED.table_name, version = EXCLUDED.version, switched_at = EXCLUDED.switched_at", connection))
        {
            record.Parameters.AddWithValue("sink", target.Sink);
            record.Parameters.AddWithValue("table", target.Table);
            record.Parameters.AddWithValue("version", target.Version);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public int? GetServingVersion(string sink)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        using NpgsqlConnection connection = _dataSource.OpenConnection();
        Execute(connection, $"CREATE SCHEMA IF NOT EXISTS {PostgreSqlIdentifier.Quote(Schema)}");
        Execute(connection, PostgreSqlDdl.CreateServing(Schema));
        using var command = new NpgsqlCommand($"SELECT version FROM {PostgreSqlIdentifier.Qualify(Schema, PostgreSqlDdl.ServingTable)} WHERE sink = @sink", connection);
        command.Parameters.AddWithValue("sink", sink);
        return command.ExecuteScalar() is int version ? version : null;
    }

    public void DropTable(SinkTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (GetServingVersion(target.Sink) == target.Version)
        {
            throw new InvalidOperationException($"{target.Table} is the serving version of {target.Sink}; switch the view to another version before dropping it.");
        }

        using NpgsqlConnection connection = _dataSource.OpenConnection();
        Execute(connection, PostgreSqlDdl.CreateOffsets(Schema));
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        Execute(connection, $"DROP TABLE IF EXISTS {PostgreSqlIdentifier.Qualify(Schema, target.Table)}");
        using (var command = new NpgsqlCommand($"DELETE FROM {PostgreSqlIdentifier.Qualify(Schema, PostgreSqlDdl.OffsetsTable)} WHERE table_name = @table", connection))
        {
            command.Parameters.AddWithValue("table", target.Table);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void Dispose() => _dataSource.Dispose();

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
