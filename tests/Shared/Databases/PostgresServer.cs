using Npgsql;

namespace Kappa.Tests;

/// <summary>
/// The real PostgreSQL server the tests use: KAPPA_POSTGRES (a connection string). scripts/test.sh starts a throwaway
/// PostgreSQL 15 server and sets it; run against your own server by setting it yourself. A test that needs PostgreSQL
/// fails (never skips) when it is unset or unreachable.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "KAPPA_POSTGRES";

    private static readonly Lazy<string> Checked = new(Check);

    /// <summary>The connection string, after one successful connection; throws with instructions otherwise.</summary>
    public static string ConnectionString => Checked.Value;

    private static string Check()
    {
        string? value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: the tests need a real PostgreSQL server. Run ./scripts/test.sh (it starts a throwaway PostgreSQL 15 with scripts/postgres.sh), " +
                $"or run `eval \"$(scripts/postgres.sh start)\"; export {Variable}` first, or set {Variable} to a connection string such as 'Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres'.");
        }

        try
        {
            using var connection = new NpgsqlConnection(value);
            connection.Open();
            return value;
        }
        catch (Exception error)
        {
            throw new InvalidOperationException($"{Variable}='{value}' is unreachable ({error.Message}). Start a server with scripts/postgres.sh start, or point {Variable} at a running one.", error);
        }
    }
}
