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
    /// One transaction: for each target <c>CREATE OR REPLACE VIEW</c> when the new table's columns extend the view's,
    /// else <c>DROP VIEW</c> + <c>CREATE VIEW</c>, and its serving record. The DDL is transactional and holds each view's
    /// ACCESS EXCLUSIVE lock until the commit, while a reader holds its ACCESS SHARE lock on a view until its own
    /// transaction ends: a reader that read one view before the switch locked it reads the others before the switch too
    /// (the switch waits for it), and a reader that waited reads them all after.
    /// <para>
    /// A reader holding one view and waiting for another the switch holds would deadlock with it, and while the switch
    /// waits in a view's lock queue, new readers of that view wait behind it but readers of the others do not. So a
    /// switch of several views never waits: each attempt takes every view's lock only if it is free within
    /// <see cref="LockTimeout"/>, else rolls back and tries again a moment later, until an instant when no transaction
    /// holds any of the views (readers never wait on the switch for more than one attempt). A switch of one view cannot
    /// deadlock: it waits in the view's lock queue, up to <see cref="SingleViewLockTimeout"/> per attempt. Either gives
    /// up after <see cref="SwitchTimeout"/> with nothing switched.
    /// </para>
    /// </summary>
    public void SwitchServingViews(IReadOnlyCollection<SinkTarget> targets)
    {
        SinkTarget[] ordered = ServingViews.Ordered(targets);
        if (ordered.Length == 0)
        {
            return;
        }

        using NpgsqlConnection connection = _dataSource.OpenConnection();
        Execute(connection, PostgreSqlDdl.CreateServing(Schema));
        var started = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan wait = ordered.Length == 1 ? SingleViewLockTimeout : LockTimeout;
        for (int attempt = 1; ; attempt++)
        {
            using NpgsqlTransaction transaction = connection.BeginTransaction();
            try
            {
                Execute(connection, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SET LOCAL lock_timeout = {Math.Max(1, (int)wait.TotalMilliseconds)}"));
                SwitchInTransaction(connection, ordered);
                transaction.Commit();
                return;
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                transaction.Rollback();
                if (started.Elapsed >= SwitchTimeout)
                {
                    throw new InvalidOperationException($"Cannot switch the serving views of {string.Join(", ", ordered.Select(t => t.Table))} in {Description}: after {attempt} attempts in {started.Elapsed.TotalSeconds:0.#} s their locks are still held by other transactions (reads of the views that never pause, or another switch). Nothing was switched.", error);
                }

                Thread.Sleep(Random.Shared.Next(0, 3));
            }
        }
    }

    /// <summary>How long a switch of several views waits for each view's lock in one attempt (1 ms: it takes them only when they are free).</summary>
    public static TimeSpan LockTimeout { get; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How long a switch of one view waits in its lock queue in one attempt (1 s).</summary>
    public static TimeSpan SingleViewLockTimeout { get; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the switch keeps trying before it gives up with nothing switched (30 s).</summary>
    public static TimeSpan SwitchTimeout { get; } = TimeSpan.FromSeconds(30);

    private void SwitchInTransaction(NpgsqlConnection connection, SinkTarget[] targets)
    {
        Execute(connection, $"LOCK TABLE {PostgreSqlIdentifier.Qualify(Schema, PostgreSqlDdl.ServingTable)} IN SHARE ROW EXCLUSIVE MODE");
        var columns = new Dictionary<SinkTarget, List<string>>();
        foreach (SinkTarget target in targets)
        {
            columns[target] = UserColumns(connection, target.Table);
        }

        string[] missing = targets.Where(t => columns[t].Count == 0).Select(t => PostgreSqlIdentifier.Qualify(Schema, t.Table)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException($"Cannot switch the serving views of {string.Join(", ", targets.Select(t => t.Table).Order(StringComparer.Ordinal))}: {string.Join(", ", missing)} {(missing.Length == 1 ? "does" : "do")} not exist in {Description} (start the sink writers first; a version's sinks are switched together, so they must all live in this database). Nothing was switched.");
        }

        foreach (SinkTarget target in targets)
        {
            string view = PostgreSqlIdentifier.Qualify(Schema, target.View);
            string select = $"SELECT {string.Join(", ", columns[target].Select(PostgreSqlIdentifier.Quote))} FROM {PostgreSqlIdentifier.Qualify(Schema, target.Table)}";
            Execute(connection, "SAVEPOINT kappa_view");
            try
            {
                Execute(connection, $"CREATE OR REPLACE VIEW {view} AS {select}");
                Execute(connection, "RELEASE SAVEPOINT kappa_view");
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.InvalidTableDefinition)
            {
                Execute(connection, "ROLLBACK TO SAVEPOINT kappa_view");
                Execute(connection, $"DROP VIEW IF EXISTS {view}");
                Execute(connection, $"CREATE VIEW {view} AS {select}");
            }

            using var record = new NpgsqlCommand($"INSERT INTO {PostgreSqlIdentifier.Qualify(Schema, PostgreSqlDdl.ServingTable)} (sink, table_name, version, switched_at) VALUES (@sink, @table, @version, now()) ON CONFLICT (sink) DO UPDATE SET table_name = EXCLUDED.table_name, version = EXCLUDED.version, switched_at = EXCLUDED.switched_at", connection);
            record.Parameters.AddWithValue("sink", target.Sink);
            record.Parameters.AddWithValue("table", target.Table);
            record.Parameters.AddWithValue("version", target.Version);
            record.ExecuteNonQuery();
        }
    }

    /// <summary>The table's columns without Kappa's hidden ones (none when the table does not exist).</summary>
    private List<string> UserColumns(NpgsqlConnection connection, string table)
    {
        var columns = new List<string>();
        using var info = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = @schema AND table_name = @table ORDER BY ordinal_position", connection);
        info.Parameters.AddWithValue("schema", Schema);
        info.Parameters.AddWithValue("table", table);
        using NpgsqlDataReader reader = info.ExecuteReader();
        while (reader.Read())
        {
            string name = reader.GetString(0);
            if (!name.StartsWith(TableSchema.ReservedPrefix, StringComparison.Ordinal))
            {
                columns.Add(name);
            }
        }

        return columns;
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
