namespace Kappa.Sqlite;

/// <summary>The one place SQLite identifiers are quoted: every table, view, column and index name goes through <see cref="Quote"/>.</summary>
public static class SqliteIdentifier
{
    /// <summary>Double-quotes an identifier, doubling embedded quotes; refuses NUL, which SQLite cannot hold in a name.</summary>
    public static string Quote(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"SQLite identifiers cannot contain NUL: '{name.Replace("\0", "\\0", StringComparison.Ordinal)}'.", nameof(name));
        }

        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
