using System.Data.Common;
using Kappa.PostgreSql;
using Kappa.Sinks;
using Kappa.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kappa.Tests;

/// <summary>
/// A serving database of its own for one test: a fresh SQLite file, or a fresh schema on the PostgreSQL server of
/// <see cref="PostgresServer"/> (dropped at the end), so tests run in parallel.
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
            string directory = Directory.CreateTempSubdirectory("kappa-test-sqlite-").FullName;
            return new TestDatabase(kind, new SqliteSinkDatabase(Path.Combine(directory, "serving.db")), directory, null);
        }

        schema ??= "kappa_t_" + Guid.NewGuid().ToString("N")[..12];
        return new TestDatabase(kind, new PostgreSqlSinkDatabase(PostgresServer.ConnectionString, schema), null, schema);
    }

    /// <summary>Quotes a relation name the way the database does (schema-qualified on PostgreSQL).</summary>
    public string Relation(string name) => Kind == DatabaseKind.Sqlite ? SqliteIdentifier.Quote(name) : PostgreSqlIdentifier.Qualify(Schema!, name);

    public string Quote(string name) => Kind == DatabaseKind.Sqlite ? SqliteIdentifier.Quote(name) : PostgreSqlIdentifier.Quote(name);

    /// <summary>A connection; on PostgreSQL its search path is the test's schema, so unqualified names are the test's.</summary>
    public DbConnection Open()
    {
        if (Database is SqliteSinkDatabase sqlite)
        {
            return sqlite.OpenConnection();
        }

        NpgsqlConnection connection = ((PostgreSqlSinkDatabase)Database).OpenConnection();
        using NpgsqlCommand command = connection.CreateCommand();
        command.CommandText = $"SET search_path TO {PostgreSqlIdentifier.Quote(Schema!)}";
        command.ExecuteNonQuery();
        return connection;
    }

    public long Scalar(string sql)
    {
        using DbConnection connection = Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = command.ExecuteScalar();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Execute(string sql)
    {
        using DbConnection connection = Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public bool TableExists(string name) => Kind == DatabaseKind.Sqlite
        ? Scalar($"SELECT count(*) FROM sqlite_schema WHERE name = {Literal(name)}") > 0
        : Scalar($"SELECT count(*) FROM information_schema.tables WHERE table_schema = {Literal(Schema!)} AND table_name = {Literal(name)}") > 0;

    /// <summary>Names of the tables in the database (SQLite) or schema (PostgreSQL), ordinal order.</summary>
    public IReadOnlyList<string> Tables()
    {
        using DbConnection connection = Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = Kind == DatabaseKind.Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : $"SELECT table_name FROM information_schema.tables WHERE table_schema = {Literal(Schema!)} AND table_type = 'BASE TABLE'";
        return Strings(command);
    }

    /// <summary>The first column of every row the command returns, ordinal order.</summary>
    public static IReadOnlyList<string> Strings(DbCommand command)
    {
        using DbDataReader reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>A SQL string literal (single quotes doubled).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

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
