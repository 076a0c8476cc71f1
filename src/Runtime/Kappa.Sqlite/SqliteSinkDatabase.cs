using System.Globalization;
using Kappa.Sinks;
using Microsoft.Data.Sqlite;

namespace Kappa.Sqlite;

/// <summary>
/// Serving tables in one SQLite database file (the embedded default, next to the embedded log). The file is put in WAL
/// mode, so readers in other connections or processes read a committed snapshot while a writer commits.
/// </summary>
public sealed class SqliteSinkDatabase : ISinkDatabase
{
    private readonly string _connectionString;

    /// <param name="path">The database file; created when missing.</param>
    public SqliteSinkDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public string Description => $"sqlite at {Path}";

    /// <summary>Opens a connection with Kappa's settings: WAL mode, a 30 s busy timeout, synchronous=NORMAL (in WAL a crash loses no committed transaction; power loss may lose the last ones, which the writer then reads again from its topic).</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;");
        return connection;
    }

    public ISinkTable<T> OpenTable<T>(SinkTarget target)
        where T : ITableRecord<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        return new SqliteSinkTable<T>(OpenConnection(), target);
    }

    /// <summary>
    /// One <c>BEGIN IMMEDIATE</c> transaction: for each target (in view-name order) <c>DROP VIEW</c> + <c>CREATE VIEW</c>
    /// over the table's user columns, and its serving record. SQLite's DDL is transactional and WAL readers keep their
    /// snapshot, so a read transaction sees all the views before the switch or all of them after it.
    /// </summary>
    public void SwitchServingViews(IReadOnlyCollection<SinkTarget> targets)
    {
        SinkTarget[] ordered = ServingViews.Ordered(targets);
        if (ordered.Length == 0)
        {
            return;
        }

        using SqliteConnection connection = OpenConnection();
        Execute(connection, SqliteDdl.CreateServing);
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        var columns = new Dictionary<SinkTarget, List<string>>();
        foreach (SinkTarget target in ordered)
        {
            columns[target] = UserColumns(connection, target.Table);
        }

        string[] missing = ordered.Where(t => columns[t].Count == 0).Select(t => t.Table).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException($"Cannot switch the serving views of {string.Join(", ", ordered.Select(t => t.Table))}: {string.Join(", ", missing)} {(missing.Length == 1 ? "does" : "do")} not exist in {Description} (start the sink writers first; a version's sinks are switched together, so they must all live in this database). Nothing was switched.");
        }

        string at = DateTime.UtcNow.ToString(SqliteRowWriter.TimestampFormat, CultureInfo.InvariantCulture);
        foreach (SinkTarget target in ordered)
        {
            Execute(connection, $"DROP VIEW IF EXISTS {SqliteIdentifier.Quote(target.View)}");
            Execute(connection, $"CREATE VIEW {SqliteIdentifier.Quote(target.View)} AS SELECT {string.Join(", ", columns[target].Select(SqliteIdentifier.Quote))} FROM {SqliteIdentifier.Quote(target.Table)}");
            using SqliteCommand record = connection.CreateCommand();
            record.CommandText = $"INSERT INTO {SqliteIdentifier.Quote(SqliteDdl.ServingTable)} (sink, table_name, version, switched_at) VALUES ($sink, $table, $version, $at) ON CONFLICT (sink) DO UPDATE SET table_name = excluded.table_name, version = excluded.version, switched_at = excluded.switched_at";
            record.Parameters.AddWithValue("$sink", target.Sink);
            record.Parameters.AddWithValue("$table", target.Table);
            record.Parameters.AddWithValue("$version", target.Version);
            record.Parameters.AddWithValue("$at", at);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The table's columns without Kappa's hidden ones (none when the table does not exist).</summary>
    private static List<string> UserColumns(SqliteConnection connection, string table)
    {
        var columns = new List<string>();
        using SqliteCommand info = connection.CreateCommand();
        info.CommandText = "SELECT name FROM pragma_table_info($table) ORDER BY cid";
        info.Parameters.AddWithValue("$table", table);
        using SqliteDataReader reader = info.ExecuteReader();
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
        using SqliteConnection connection = OpenConnection();
        Execute(connection, SqliteDdl.CreateServing);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT version FROM {SqliteIdentifier.Quote(SqliteDdl.ServingTable)} WHERE sink = $sink";
        command.Parameters.AddWithValue("$sink", sink);
        object? version = command.ExecuteScalar();
        return version is null or DBNull ? null : Convert.ToInt32(version, CultureInfo.InvariantCulture);
    }

    public IReadOnlyDictionary<int, long> GetCommittedOffsets(SinkTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        using SqliteConnection connection = OpenConnection();
        Execute(connection, SqliteDdl.CreateOffsets);
        return SqliteDdl.ReadOffsets(connection, target.Table, target.Topic);
    }

    public void DropTable(SinkTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (GetServingVersion(target.Sink) == target.Version)
        {
            throw new InvalidOperationException($"{target.Table} is the serving version of {target.Sink}; switch the view to another version before dropping it.");
        }

        using SqliteConnection connection = OpenConnection();
        Execute(connection, SqliteDdl.CreateOffsets);
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, $"DROP TABLE IF EXISTS {SqliteIdentifier.Quote(target.Table)}");
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = $"DELETE FROM {SqliteIdentifier.Quote(SqliteDdl.OffsetsTable)} WHERE table_name = $table";
            command.Parameters.AddWithValue("$table", target.Table);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
