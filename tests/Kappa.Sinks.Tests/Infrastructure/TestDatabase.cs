using Kappa.PostgreSql;
using Kappa.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>
/// A database of its own for one test: a fresh SQLite file, or a fresh schema on the PostgreSQL server (dropped at the
/// end), so tests run in parallel. Queries return rows in <see cref="Canonical"/> text form.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _directory;

    private TestDatabase(DatabaseKind kind, ISinkDatabase database, string? directory, string? schema)
    {
        Kind = kind;
        Database = database;
        _directory = directory;
        Schema = schema;
    }

    public DatabaseKind Kind { get; }

    public ISinkDatabase Database { get; }

    /// <summary>The PostgreSQL schema (null for SQLite).</summary>
    public string? Schema { get; }

    public static TestDatabase Create(DatabaseKind kind, string? schema = null)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            string directory = Directory.CreateTempSubdirectory("kappa-sink-sqlite-").FullName;
            return new TestDatabase(kind, new SqliteSinkDatabase(Path.Combine(directory, "tables.db")), directory, null);
        }

        schema ??= "kappa_t_" + Guid.NewGuid().ToString("N")[..12];
        return new TestDatabase(kind, new PostgreSqlSinkDatabase(PostgresServer.ConnectionString, schema), null, schema);
    }

    /// <summary>Quotes a relation name the way the database does (schema-qualified on PostgreSQL).</summary>
    public string Relation(string name) => Kind == DatabaseKind.Sqlite ? SqliteIdentifier.Quote(name) : PostgreSqlIdentifier.Qualify(Schema!, name);

    public string Quote(string name) => Kind == DatabaseKind.Sqlite ? SqliteIdentifier.Quote(name) : PostgreSqlIdentifier.Quote(name);

    /// <summary>Runs a query and returns each row as canonical strings, one per column of <paramref name="types"/>.</summary>
    public List<string[]> Query(string sql, IReadOnlyList<TableColumnType> types)
    {
        var rows = new List<string[]>();
        using System.Data.Common.DbConnection connection = Open();
        using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using System.Data.Common.DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new string[types.Count];
            for (int i = 0; i < types.Count; i++)
            {
                row[i] = Canonical.Of(reader.IsDBNull(i) ? null : reader.GetValue(i), types[i]);
            }

            rows.Add(row);
        }

        return rows;
    }

    public long Scalar(string sql)
    {
        using System.Data.Common.DbConnection connection = Open();
        using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = command.ExecuteScalar();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Execute(string sql)
    {
        using System.Data.Common.DbConnection connection = Open();
        using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The sum of the next offsets the table committed (equals the topic's record count once caught up).</summary>
    public long CommittedOffsets(string table)
    {
        if (!TableExists("_kappa_offsets"))
        {
            return 0;
        }

        return Scalar($"SELECT coalesce(sum(next_offset), 0) FROM {Relation("_kappa_offsets")} WHERE table_name = '{table.Replace("'", "''", StringComparison.Ordinal)}'");
    }

    public bool TableExists(string name) => Kind == DatabaseKind.Sqlite
        ? Scalar($"SELECT count(*) FROM sqlite_schema WHERE name = '{name.Replace("'", "''", StringComparison.Ordinal)}'") > 0
        : Scalar($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{Schema!.Replace("'", "''", StringComparison.Ordinal)}' AND table_name = '{name.Replace("'", "''", StringComparison.Ordinal)}'") > 0;

    public System.Data.Common.DbConnection Open()
    {
        if (Database is SqliteSinkDatabase sqlite)
        {
            SqliteConnection connection = sqlite.OpenConnection();
            return connection;
        }

        return ((PostgreSqlSinkDatabase)Database).OpenConnection();
    }

    public void Dispose()
    {
        if (Database is PostgreSqlSinkDatabase postgres)
        {
            try
            {
                using NpgsqlConnection connection = postgres.OpenConnection();
                using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {PostgreSqlIdentifier.Quote(Schema!)} CASCADE", connection);
                command.ExecuteNonQuery();
            }
            finally
            {
                postgres.Dispose();
            }
        }

        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // a reader still closing; the temp directory is cleaned by the OS
            }
        }
    }
}
