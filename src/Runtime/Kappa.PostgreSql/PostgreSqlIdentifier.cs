using System.Text;
using Kappa.Sinks;

namespace Kappa.PostgreSql;

/// <summary>The one place PostgreSQL identifiers are quoted: every schema, table, view, column and index name goes through <see cref="Quote"/>.</summary>
public static class PostgreSqlIdentifier
{
    /// <summary>PostgreSQL truncates longer identifiers silently (NAMEDATALEN - 1); Kappa refuses them instead.</summary>
    public const int MaxBytes = 63;

    /// <summary>Double-quotes an identifier, doubling embedded quotes. Refuses NUL and names longer than 63 UTF-8 bytes.</summary>
    public static string Quote(string name)
    {
        Validate(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A validated name as a SQL string literal (single quotes doubled; standard_conforming_strings, on since PostgreSQL 9.1, keeps backslashes literal).</summary>
    public static string Literal(string name)
    {
        Validate(name);
        return "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary><c>"schema"."name"</c>.</summary>
    public static string Qualify(string schema, string name) => Quote(schema) + "." + Quote(name);

    public static void Validate(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new TableSchemaException($"PostgreSQL identifiers cannot contain NUL: '{name.Replace("\0", "\\0", StringComparison.Ordinal)}'.");
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxBytes)
        {
            throw new TableSchemaException($"'{name}' is {bytes} bytes long; PostgreSQL identifiers hold at most {MaxBytes} (longer ones would be truncated silently). Use a shorter sink name.");
        }
    }
}
