using System.Text;
using Kappa.Sinks;
using Microsoft.Data.Sqlite;

namespace Kappa.Sqlite;

/// <summary>DDL and statement text for SQLite serving tables (built once per writer session, never per row).</summary>
internal static class SqliteDdl
{
    public const string OffsetsTable = "_kappa_offsets";

    public const string ServingTable = "_kappa_serving";

    public static readonly string CreateOffsets =
        $"CREATE TABLE IF NOT EXISTS {SqliteIdentifier.Quote(OffsetsTable)} (table_name TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL, PRIMARY KEY (table_name, topic, partition)) STRICT";

    public static readonly string CreateServing =
        $"CREATE TABLE IF NOT EXISTS {SqliteIdentifier.Quote(ServingTable)} (sink TEXT NOT NULL PRIMARY KEY, table_name TEXT NOT NULL, version INTEGER NOT NULL, switched_at TEXT NOT NULL) STRICT";

    public static readonly string UpsertOffset =
        $"INSERT INTO {SqliteIdentifier.Quote(OffsetsTable)} (table_name, topic, partition, next_offset) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (table_name, topic, partition) DO UPDATE SET next_offset = excluded.next_offset";

    public static readonly string SelectOffsets =
        $"SELECT partition, next_offset FROM {SqliteIdentifier.Quote(OffsetsTable)} WHERE table_name = $table AND topic = $topic";

    /// <summary>The next offset of each partition of <paramref name="topic"/> that <paramref name="table"/> committed (the offsets table must exist).</summary>
    public static Dictionary<int, long> ReadOffsets(SqliteConnection connection, string table, string topic)
    {
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = SelectOffsets;
        select.Parameters.AddWithValue("$table", table);
        select.Parameters.AddWithValue("$topic", topic);
        var offsets = new Dictionary<int, long>();
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            offsets[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        return offsets;
    }

    public static string TypeOf(TableColumnType type) => type switch
    {
        TableColumnType.Boolean or TableColumnType.Int32 or TableColumnType.Int64 => "INTEGER",
        TableColumnType.Float32 or TableColumnType.Float64 => "REAL",
        TableColumnType.Bytes => "BLOB",
        TableColumnType.Decimal or TableColumnType.Text or TableColumnType.Uuid or TableColumnType.TimestampTz or TableColumnType.Json => "TEXT",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    /// <summary>The hidden columns then the user columns, in the order the table is created and written.</summary>
    public static IReadOnlyList<string> AllColumns(TableSchema schema)
    {
        var names = new List<string> { TableSchema.PartitionColumn, TableSchema.OffsetColumn };
        if (schema.Mode == TableMode.Upsert)
        {
            names.Add(TableSchema.KeyColumn);
        }

        names.AddRange(schema.Columns.Select(c => c.Name));
        return names;
    }

    public static IEnumerable<string> CreateTable(TableSchema schema, string table)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE IF NOT EXISTS ").Append(SqliteIdentifier.Quote(table)).Append(" (");
        sql.Append(SqliteIdentifier.Quote(TableSchema.PartitionColumn)).Append(" INTEGER NOT NULL, ");
        sql.Append(SqliteIdentifier.Quote(TableSchema.OffsetColumn)).Append(" INTEGER NOT NULL, ");
        if (schema.Mode == TableMode.Upsert)
        {
            sql.Append(SqliteIdentifier.Quote(TableSchema.KeyColumn)).Append(" BLOB, ");
        }

        foreach (TableColumn column in schema.Columns)
        {
            sql.Append(SqliteIdentifier.Quote(column.Name)).Append(' ').Append(TypeOf(column.Type));
            sql.Append(column.Nullable ? ", " : " NOT NULL, ");
        }

        IEnumerable<string> key = schema.Mode == TableMode.Append
            ? [TableSchema.PartitionColumn, TableSchema.OffsetColumn]
            : schema.KeyColumns.Select(c => c.Name);
        sql.Append("PRIMARY KEY (").Append(string.Join(", ", key.Select(SqliteIdentifier.Quote))).Append(")) STRICT");
        yield return sql.ToString();
        if (schema.Mode == TableMode.Upsert)
        {
            yield return $"CREATE INDEX IF NOT EXISTS {SqliteIdentifier.Quote(table + "_kappa_key")} ON {SqliteIdentifier.Quote(table)} ({SqliteIdentifier.Quote(TableSchema.KeyColumn)})";
        }

        for (int i = 0; i < schema.Indexes.Count; i++)
        {
            TableIndex index = schema.Indexes[i];
            yield return $"CREATE {(index.Unique ? "UNIQUE " : string.Empty)}INDEX IF NOT EXISTS {SqliteIdentifier.Quote($"{table}_ix{i + 1}")} ON {SqliteIdentifier.Quote(table)} ({string.Join(", ", index.Columns.Select(SqliteIdentifier.Quote))})";
        }
    }

    /// <summary>Append: plain insert. Upsert: insert, or on a key conflict update every other column.</summary>
    public static string Insert(TableSchema schema, string table)
    {
        IReadOnlyList<string> columns = AllColumns(schema);
        var sql = new StringBuilder();
        sql.Append("INSERT INTO ").Append(SqliteIdentifier.Quote(table)).Append(" (");
        sql.Append(string.Join(", ", columns.Select(SqliteIdentifier.Quote))).Append(") VALUES (");
        sql.Append(string.Join(", ", Enumerable.Range(1, columns.Count).Select(i => "?" + i))).Append(')');
        if (schema.Mode == TableMode.Upsert)
        {
            var keys = schema.KeyColumns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            sql.Append(" ON CONFLICT (").Append(string.Join(", ", schema.KeyColumns.Select(c => SqliteIdentifier.Quote(c.Name)))).Append(") DO UPDATE SET ");
            sql.Append(string.Join(", ", columns.Where(c => !keys.Contains(c)).Select(c => $"{SqliteIdentifier.Quote(c)} = excluded.{SqliteIdentifier.Quote(c)}")));
        }

        return sql.ToString();
    }

    public static string DeleteByKey(string table) =>
        $"DELETE FROM {SqliteIdentifier.Quote(table)} WHERE {SqliteIdentifier.Quote(TableSchema.KeyColumn)} = ?1";
}
