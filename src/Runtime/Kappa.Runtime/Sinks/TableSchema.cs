using System.Collections.ObjectModel;

namespace Kappa.Sinks;

/// <summary>
/// The user columns, key and indexes of a serving table, as the generated <see cref="ITableRecord{T}.TableSchema"/>
/// declares them. The constructor validates everything a database would otherwise reject later (see
/// <see cref="TableSchemaException"/>); column names are stored lower-cased. The hidden columns
/// (<see cref="PartitionColumn"/>, <see cref="OffsetColumn"/>, <see cref="KeyColumn"/>) are not listed here: every
/// database adds them.
/// </summary>
public sealed class TableSchema
{
    /// <summary>Hidden column: the partition the row's record came from.</summary>
    public const string PartitionColumn = "_kappa_partition";

    /// <summary>Hidden column: the offset of the row's record (append tables: with the partition, the primary key).</summary>
    public const string OffsetColumn = "_kappa_offset";

    /// <summary>Hidden column of upsert tables: the Kafka record key that wrote the row (a tombstone for that key deletes it).</summary>
    public const string KeyColumn = "_kappa_key";

    /// <summary>Prefix reserved for hidden columns and the bookkeeping tables.</summary>
    public const string ReservedPrefix = "_kappa";

    private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);

    /// <param name="mode">Upsert (needs key columns) or append (must have none).</param>
    /// <param name="columns">The user columns, in the order <see cref="ITableRecord{T}.WriteRow"/> writes them.</param>
    /// <param name="keyColumns">Names of the key columns in key order (upsert: at least one; append: none).</param>
    /// <param name="indexes">Secondary indexes.</param>
    public TableSchema(TableMode mode, IReadOnlyList<TableColumn> columns, IReadOnlyList<string>? keyColumns = null, IReadOnlyList<TableIndex>? indexes = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (mode is not (TableMode.Upsert or TableMode.Append))
        {
            throw new TableSchemaException($"Unknown table mode {mode}.");
        }

        if (columns.Count == 0)
        {
            throw new TableSchemaException("A serving table needs at least one column.");
        }

        Mode = mode;
        var normalized = new TableColumn[columns.Count];
        for (int i = 0; i < columns.Count; i++)
        {
            TableColumn column = columns[i] ?? throw new TableSchemaException($"Column {i} is null.");
            string name = ValidateIdentifier(column.Name, $"Column {i}");
            if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            {
                throw new TableSchemaException($"Column '{name}' starts with '{ReservedPrefix}', which is reserved for Kappa's hidden columns; rename it with [TableColumn(\"...\")].");
            }

            if (!_ordinals.TryAdd(name, i))
            {
                throw new TableSchemaException($"Column '{name}' appears twice; every column name must be unique (compared lower-cased).");
            }

            ValidateType(column, name);
            normalized[i] = column with { Name = name };
        }

        var keys = new List<TableColumn>();
        foreach (string key in keyColumns ?? [])
        {
            string name = (key ?? string.Empty).ToLowerInvariant();
            if (!_ordinals.TryGetValue(name, out int ordinal))
            {
                throw new TableSchemaException($"Key column '{key}' is not a column of the table.");
            }

            TableColumn column = normalized[ordinal];
            if (keys.Contains(column))
            {
                throw new TableSchemaException($"Key column '{name}' is listed twice.");
            }

            if (column.Nullable)
            {
                throw new TableSchemaException($"Key column '{name}' is nullable; primary key columns are never null.");
            }

            if (column.Type == TableColumnType.Json)
            {
                throw new TableSchemaException($"Key column '{name}' is JSON; a key must be a scalar column.");
            }

            keys.Add(column);
        }

        foreach (TableColumn column in normalized)
        {
            if (column.IsKey != keys.Contains(column))
            {
                throw new TableSchemaException($"Column '{column.Name}' has IsKey = {column.IsKey} but is {(column.IsKey ? "not " : string.Empty)}in the key column list.");
            }
        }

        if (mode == TableMode.Upsert && keys.Count == 0)
        {
            throw new TableSchemaException("An upsert table needs at least one key column ([TableKey] on a member).");
        }

        if (mode == TableMode.Append && keys.Count > 0)
        {
            throw new TableSchemaException($"An append table has no key columns (its rows are identified by partition and offset), but '{keys[0].Name}' is one; use an index for lookups.");
        }

        var indexList = new List<TableIndex>();
        foreach (TableIndex index in indexes ?? [])
        {
            if (index is null || index.Columns is null || index.Columns.Count == 0)
            {
                throw new TableSchemaException($"Index {indexList.Count} has no columns.");
            }

            var names = new string[index.Columns.Count];
            for (int i = 0; i < names.Length; i++)
            {
                string name = (index.Columns[i] ?? string.Empty).ToLowerInvariant();
                if (!_ordinals.ContainsKey(name))
                {
                    throw new TableSchemaException($"Index {indexList.Count} names '{index.Columns[i]}', which is not a column of the table.");
                }

                if (Array.IndexOf(names, name, 0, i) >= 0)
                {
                    throw new TableSchemaException($"Index {indexList.Count} lists column '{name}' twice.");
                }

                names[i] = name;
            }

            indexList.Add(new TableIndex(Array.AsReadOnly(names), index.Unique));
        }

        Columns = Array.AsReadOnly(normalized);
        KeyColumns = keys.AsReadOnly();
        Indexes = indexList.AsReadOnly();
    }

    public TableMode Mode { get; }

    /// <summary>The user columns in write order.</summary>
    public ReadOnlyCollection<TableColumn> Columns { get; }

    /// <summary>The key columns in key order (empty for append tables).</summary>
    public ReadOnlyCollection<TableColumn> KeyColumns { get; }

    public ReadOnlyCollection<TableIndex> Indexes { get; }

    /// <summary>The position of a column in <see cref="Columns"/>, or -1.</summary>
    public int IndexOf(string column) => _ordinals.TryGetValue(column, out int i) ? i : -1;

    /// <summary>
    /// Checks a name against the rule every database accepts unquoted: <c>^[a-z_][a-z0-9_]{0,62}$</c> after
    /// lower-casing. Returns the lower-cased name. (Names are still always quoted in SQL.)
    /// </summary>
    public static string ValidateIdentifier(string? name, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new TableSchemaException($"{what} has no name.");
        }

        string lower = name.ToLowerInvariant();
        bool ok = lower.Length <= 63 && (lower[0] is (>= 'a' and <= 'z') or '_');
        for (int i = 1; ok && i < lower.Length; i++)
        {
            ok = lower[i] is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_';
        }

        if (!ok)
        {
            throw new TableSchemaException($"{what} '{name}' is not a valid column name: use 1-63 ASCII letters, digits and '_', starting with a letter or '_'.");
        }

        return lower;
    }

    private static void ValidateType(TableColumn column, string name)
    {
        if (!Enum.IsDefined(column.Type))
        {
            throw new TableSchemaException($"Column '{name}' has unknown type {column.Type}.");
        }

        if (column.Type == TableColumnType.Decimal)
        {
            if (column.Precision is < 1 or > 1000 || column.Scale < 0 || column.Scale > column.Precision)
            {
                throw new TableSchemaException($"Decimal column '{name}' has precision {column.Precision} and scale {column.Scale}; need 1 <= precision <= 1000 and 0 <= scale <= precision.");
            }
        }
        else if (column.Precision != 0 || column.Scale != 0)
        {
            throw new TableSchemaException($"Column '{name}' of type {column.Type} has a precision or scale; only decimal columns have them.");
        }
    }
}
