using System.Text;
using Kappa.Sinks;
using Npgsql;

namespace Kappa.PostgreSql;

/// <summary>DDL and statement text for PostgreSQL serving tables (built once per writer session, never per row).</summary>
internal sealed class PostgreSqlDdl
{
    public const string OffsetsTable = "_kappa_offsets";

    public const string ServingTable = "_kappa_serving";

    /// <summary>The per-connection temporary staging table of upsert batches.</summary>
    public const string StagingTable = "_kappa_stage";

    public const string SequenceColumn = "_kappa_seq";

    public PostgreSqlDdl(string schema, string table, TableSchema tableSchema)
    {
        Schema = schema;
        Table = table;
        TableSchema = tableSchema;
        QualifiedTable = PostgreSqlIdentifier.Qualify(schema, table);
        var columns = new List<string> { TableSchema.PartitionColumn, TableSchema.OffsetColumn };
        if (tableSchema.Mode == TableMode.Upsert)
        {
            columns.Add(TableSchema.KeyColumn);
        }

        columns.AddRange(tableSchema.Columns.Select(c => c.Name));
        AllColumns = columns;
        foreach (string index in IndexNames())
        {
            PostgreSqlIdentifier.Validate(index);
        }
    }

    public string Schema { get; }

    public string Table { get; }

    public TableSchema TableSchema { get; }

    public string QualifiedTable { get; }

    /// <summary>Hidden columns, then user columns: the order of the table and of every COPY.</summary>
    public IReadOnlyList<string> AllColumns { get; }

    public string QualifiedOffsets => PostgreSqlIdentifier.Qualify(Schema, OffsetsTable);

    public static string TypeOf(TableColumn column) => column.Type switch
    {
        TableColumnType.Boolean => "boolean",
        TableColumnType.Int32 => "integer",
        TableColumnType.Int64 => "bigint",
        TableColumnType.Float32 => "real",
        TableColumnType.Float64 => "double precision",
        TableColumnType.Decimal => $"numeric({column.Precision},{column.Scale})",
        TableColumnType.Text => "text",
        TableColumnType.Bytes => "bytea",
        TableColumnType.Uuid => "uuid",
        TableColumnType.TimestampTz => "timestamptz",
        TableColumnType.Json => "jsonb",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
    };

    public static string CreateOffsets(string schema) =>
        $"CREATE TABLE IF NOT EXISTS {PostgreSqlIdentifier.Qualify(schema, OffsetsTable)} (table_name text NOT NULL, topic text NOT NULL, partition integer NOT NULL, next_offset bigint NOT NULL, PRIMARY KEY (table_name, topic, partition))";

    /// <summary>
    /// Creates the schema and Kappa's shared tables (offsets, serving records) when missing; run it inside a
    /// transaction. Two sessions running CREATE ... IF NOT EXISTS of one object at the same time can fail with a unique
    /// violation (each checks the catalog before inserting into it), and writers opening their tables, switches and the
    /// lifecycle's reads may all create these at once: the statement first takes a transaction-level advisory lock of
    /// the schema, so a second creator waits for the first to commit and then finds them.
    /// </summary>
    public static string CreateShared(string schema) =>
        $"SELECT pg_advisory_xact_lock(hashtextextended('kappa shared objects of ' || {PostgreSqlIdentifier.Literal(schema)}, 0)); "
        + $"CREATE SCHEMA IF NOT EXISTS {PostgreSqlIdentifier.Quote(schema)}; {CreateOffsets(schema)}; {CreateServing(schema)}";

    public static string CreateServing(string schema) =>
        $"CREATE TABLE IF NOT EXISTS {PostgreSqlIdentifier.Qualify(schema, ServingTable)} (sink text PRIMARY KEY, table_name text NOT NULL, version integer NOT NULL, switched_at timestamptz NOT NULL DEFAULT now())";

    public IEnumerable<string> CreateTable()
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE IF NOT EXISTS ").Append(QualifiedTable).Append(" (");
        sql.Append(Q(TableSchema.PartitionColumn)).Append(" integer NOT NULL, ");
        sql.Append(Q(TableSchema.OffsetColumn)).Append(" bigint NOT NULL, ");
        if (TableSchema.Mode == TableMode.Upsert)
        {
            sql.Append(Q(TableSchema.KeyColumn)).Append(" bytea, ");
        }

        foreach (TableColumn column in TableSchema.Columns)
        {
            sql.Append(Q(column.Name)).Append(' ').Append(TypeOf(column)).Append(column.Nullable ? ", " : " NOT NULL, ");
        }

        sql.Append("PRIMARY KEY (").Append(string.Join(", ", KeyColumns().Select(Q))).Append("))");
        yield return sql.ToString();
        List<string> names = IndexNames();
        int n = 0;
        if (TableSchema.Mode == TableMode.Upsert)
        {
            yield return $"CREATE INDEX IF NOT EXISTS {Q(names[n++])} ON {QualifiedTable} ({Q(TableSchema.KeyColumn)})";
        }

        foreach (TableIndex index in TableSchema.Indexes)
        {
            yield return $"CREATE {(index.Unique ? "UNIQUE " : string.Empty)}INDEX IF NOT EXISTS {Q(names[n++])} ON {QualifiedTable} ({string.Join(", ", index.Columns.Select(Q))})";
        }
    }

    /// <summary>The temporary staging table of upserts: a sequence column, then the table's columns without constraints; emptied at each commit.</summary>
    public string CreateStaging()
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TEMPORARY TABLE IF NOT EXISTS ").Append(Q(StagingTable)).Append(" (").Append(Q(SequenceColumn)).Append(" bigint, ");
        sql.Append(Q(TableSchema.PartitionColumn)).Append(" integer, ").Append(Q(TableSchema.OffsetColumn)).Append(" bigint, ").Append(Q(TableSchema.KeyColumn)).Append(" bytea");
        foreach (TableColumn column in TableSchema.Columns)
        {
            sql.Append(", ").Append(Q(column.Name)).Append(' ').Append(TypeOf(column));
        }

        sql.Append(") ON COMMIT DELETE ROWS");
        return sql.ToString();
    }

    public string CopyIntoTable() =>
        $"COPY {QualifiedTable} ({string.Join(", ", AllColumns.Select(Q))}) FROM STDIN (FORMAT BINARY)";

    public string CopyIntoStaging() =>
        $"COPY {Q(StagingTable)} ({Q(SequenceColumn)}, {string.Join(", ", AllColumns.Select(Q))}) FROM STDIN (FORMAT BINARY)";

    /// <summary>Moves the staged rows into the table: the last staged row per key wins; existing keys are updated.</summary>
    public string MergeStaging()
    {
        string keys = string.Join(", ", TableSchema.KeyColumns.Select(c => Q(c.Name)));
        string columns = string.Join(", ", AllColumns.Select(Q));
        var keySet = TableSchema.KeyColumns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        string updates = string.Join(", ", AllColumns.Where(c => !keySet.Contains(c)).Select(c => $"{Q(c)} = EXCLUDED.{Q(c)}"));
        return $"INSERT INTO {QualifiedTable} ({columns}) SELECT DISTINCT ON ({keys}) {columns} FROM {Q(StagingTable)} ORDER BY {keys}, {Q(SequenceColumn)} DESC ON CONFLICT ({keys}) DO UPDATE SET {updates}";
    }

    public static string TruncateStaging() => $"TRUNCATE {Q(StagingTable)}";

    public string DeleteByKeys() => $"DELETE FROM {QualifiedTable} WHERE {Q(TableSchema.KeyColumn)} = ANY(@keys)";

    public string UpsertOffsets() =>
        $"INSERT INTO {QualifiedOffsets} (table_name, topic, partition, next_offset) SELECT @table, @topic, p, o FROM unnest(@partitions, @offsets) AS x(p, o) ON CONFLICT (table_name, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset";

    /// <summary>The next offset of each partition of <paramref name="topic"/> that <paramref name="table"/> committed (the offsets table must exist).</summary>
    public static Dictionary<int, long> ReadOffsets(NpgsqlConnection connection, string schema, string table, string topic)
    {
        using var select = new NpgsqlCommand($"SELECT partition, next_offset FROM {PostgreSqlIdentifier.Qualify(schema, OffsetsTable)} WHERE table_name = @table AND topic = @topic", connection);
        select.Parameters.AddWithValue("table", table);
        select.Parameters.AddWithValue("topic", topic);
        var offsets = new Dictionary<int, long>();
        using NpgsqlDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            offsets[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        return offsets;
    }

    private IEnumerable<string> KeyColumns() => TableSchema.Mode == TableMode.Append
        ? [TableSchema.PartitionColumn, TableSchema.OffsetColumn]
        : TableSchema.KeyColumns.Select(c => c.Name);

    private List<string> IndexNames()
    {
        var names = new List<string>();
        if (TableSchema.Mode == TableMode.Upsert)
        {
            names.Add(Table + "_kappa_key");
        }

        for (int i = 0; i < TableSchema.Indexes.Count; i++)
        {
            names.Add($"{Table}_ix{i + 1}");
        }

        return names;
    }

    private static string Q(string name) => PostgreSqlIdentifier.Quote(name);
}
