using System.Data.Common;
using Kappa.PostgreSql;
using Kappa.Sinks;
using Kappa.Sqlite;
using Npgsql;

namespace Kappa.Lifecycle.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// A serving database of its own for one test: a fresh SQLite file, or a fresh schema on the PostgreSQL server named
/// by KAPPA_POSTGRES (scripts/test.sh starts one; a PostgreSQL test fails, never skips, when it is unset).
/// </summary>
public sealed class ServingDatabase : IDisposable
{
    private readonly string? _directory;

    private ServingDatabase(DatabaseKind kind, ISinkDatabase database, string? directory, string? schema)
    {
        Kind = kind;
        Database = database;
        _directory = directory;
        Schema = schema;
    }

    public DatabaseKind Kind { get; }

    public ISinkDatabase Database { get; }

    public string? Schema { get; }

    public static ServingDatabase Create(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            string directory = Directory.CreateTempSubdirectory("kappa-lifecycle-sqlite-").FullName;
            return new ServingDatabase(kind, new SqliteSinkDatabase(Path.Combine(directory, "serving.db")), directory, null);
        }

        string schema = "kappa_l_" + Guid.NewGuid().ToString("N")[..12];
        return new ServingDatabase(kind, new PostgreSqlSinkDatabase(PostgresConnection(), schema), null, schema);
    }

    public DbConnection Open()
    {
        if (Database is SqliteSinkDatabase sqlite)
        {
            return sqlite.OpenConnection();
        }

        NpgsqlConnection connection = ((PostgreSqlSinkDatabase)Database).OpenConnection();
        using NpgsqlCommand command = connection.CreateCommand();
        command.CommandText = $"SET search_path TO \"{Schema}\"";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Names of the tables in the database (SQLite) or schema (PostgreSQL), ordinal order.</summary>
    public IReadOnlyList<string> Tables()
    {
        using DbConnection connection = Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = Kind == DatabaseKind.Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{Schema}' AND table_type = 'BASE TABLE'";
        using DbDataReader reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// PostgreSQL: the version tables the routed view <paramref name="view"/> reads (its branches; the serving record left
    /// out), ordinal order. The serving record decides which one it serves.
    /// </summary>
    public IReadOnlyList<string> ViewReads(string view)
    {
        if (Kind != DatabaseKind.PostgreSql)
        {
            throw new InvalidOperationException("Only PostgreSQL's serving views read several tables.");
        }

        using DbConnection connection = Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT t.relname FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid "
            + $"JOIN pg_class t ON t.oid = d.refobjid AND t.oid <> r.ev_class WHERE r.ev_class = '\"{Schema}\".\"{view}\"'::regclass AND t.relname <> '_kappa_serving'";
        using DbDataReader reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names.Order(StringComparer.Ordinal).ToArray();
    }

    public void Dispose()
    {
        if (Kind == DatabaseKind.PostgreSql)
        {
            using var connection = new NpgsqlConnection(PostgresConnection());
            connection.Open();
            using NpgsqlCommand command = connection.CreateCommand();
            command.CommandText = $"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE";
            command.ExecuteNonQuery();
        }

        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string PostgresConnection() =>
        Environment.GetEnvironmentVariable("KAPPA_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("KAPPA_POSTGRES is not set: the PostgreSQL lifecycle tests need a real server. Run ./scripts/test.sh (it starts a throwaway PostgreSQL 15), or `eval \"$(scripts/postgres.sh start)\"; export KAPPA_POSTGRES` first.");
}
