namespace Kappa.Sinks;

/// <summary>The column types a serving table can have; each database maps them to its own (see docs/sinks.md).</summary>
public enum TableColumnType
{
    /// <summary>bool. PostgreSQL <c>boolean</c>; SQLite INTEGER 0/1.</summary>
    Boolean,

    /// <summary>int (and smaller integers). PostgreSQL <c>integer</c>; SQLite INTEGER.</summary>
    Int32,

    /// <summary>long. PostgreSQL <c>bigint</c>; SQLite INTEGER.</summary>
    Int64,

    /// <summary>float. PostgreSQL <c>real</c>; SQLite REAL.</summary>
    Float32,

    /// <summary>double. PostgreSQL <c>double precision</c>; SQLite REAL.</summary>
    Float64,

    /// <summary>decimal with <see cref="TableColumn.Precision"/> and <see cref="TableColumn.Scale"/>. PostgreSQL <c>numeric(p,s)</c>; SQLite TEXT (exact, invariant culture).</summary>
    Decimal,

    /// <summary>string. PostgreSQL <c>text</c>; SQLite TEXT.</summary>
    Text,

    /// <summary>byte[]. PostgreSQL <c>bytea</c>; SQLite BLOB.</summary>
    Bytes,

    /// <summary>Guid. PostgreSQL <c>uuid</c>; SQLite TEXT (lower-case, hyphenated).</summary>
    Uuid,

    /// <summary>DateTimeOffset / DateTime (an instant). PostgreSQL <c>timestamptz</c>; SQLite TEXT <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</summary>
    TimestampTz,

    /// <summary>Nested records, lists and maps, written as JSON. PostgreSQL <c>jsonb</c>; SQLite TEXT.</summary>
    Json,
}
