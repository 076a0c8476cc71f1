using System.Globalization;
using Kappa.Sinks;
using Npgsql;

namespace Kappa.PostgreSql;

/// <summary>
/// What the catalog says about one sink's serving view and the table of the version to switch it to, and the SQL of a
/// <b>routed</b> view: one <c>UNION ALL</c> branch per version table, each guarded by the serving record, e.g.
/// <c>SELECT cols FROM t_v1 WHERE (SELECT version FROM _kappa_serving WHERE sink = 'x') = 1 UNION ALL SELECT cols FROM t_v2 WHERE coalesce((SELECT ...) NOT IN (1), true)</c>.
/// PostgreSQL evaluates the uncorrelated guard once per statement (an InitPlan) as a One-Time Filter, so only the
/// serving branch is scanned, and switching a routed view is an UPDATE of <c>_kappa_serving</c>: no DDL. The tables'
/// columns may differ: the view's columns are their union, a branch selecting a typed NULL for a column its table
/// lacks and a cast for a narrower type, a column a table widens taking the wider type (<see cref="PostgreSqlViewColumns"/>).
/// <para>
/// One branch is the view's <b>default</b> (v2 above): it serves when the record names no branch of the view. That is
/// the view a reader sees when its snapshot is older than the view's definition (PostgreSQL's view definitions are not
/// versioned with the snapshot: a REPEATABLE READ transaction that waited for a DDL switch reads the new definitions
/// with its old snapshot, whose record names a version the new definitions may not have). A DDL switch defines every
/// view of the switch with the new version alone, as default, so such a reader sees the new version in every view, as
/// it did when the views were plain. The default is kept in the view's comment.
/// </para>
/// </summary>
internal sealed class PostgreSqlServingView
{
    private const string CommentPrefix = "Kappa routed serving view; default version ";

    /// <summary>
    /// Per relation of the schema among the names: its columns (names and types, in order), and for a view its comment
    /// and the relations its rule depends on.
    /// </summary>
    private const string CatalogQuery =
        "SELECT c.relname::text, "
        + "ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), "
        + "ARRAY(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), "
        + "CASE WHEN c.relkind = 'v' THEN pg_catalog.obj_description(c.oid, 'pg_class') END, "
        + "CASE WHEN c.relkind = 'v' THEN ARRAY(SELECT DISTINCT t.relname::text FROM pg_catalog.pg_rewrite r "
        + "JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        + "JOIN pg_catalog.pg_class t ON t.oid = d.refobjid AND t.oid <> c.oid WHERE r.ev_class = c.oid) END "
        + "FROM pg_catalog.pg_class c WHERE c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = $1) AND c.relname = ANY($2) AND c.relkind IN ('r', 'p', 'v')";

    private PostgreSqlServingView(SinkTarget target, IReadOnlyList<ViewColumn> tableColumns, IReadOnlyList<ViewColumn>? viewColumns, SortedDictionary<int, string>? branches, int defaultVersion)
    {
        Target = target;
        TableColumns = tableColumns;
        ViewColumns = viewColumns;
        Branches = branches;
        DefaultVersion = defaultVersion;
    }

    public SinkTarget Target { get; }

    /// <summary>The user columns of the target's table (names and types, in order); empty when the table does not exist.</summary>
    public IReadOnlyList<ViewColumn> TableColumns { get; }

    /// <summary>The view's columns; null when the view does not exist.</summary>
    public IReadOnlyList<ViewColumn>? ViewColumns { get; }

    /// <summary>The version tables a routed view reads (version to table); null when the view does not exist or is not routed.</summary>
    public SortedDictionary<int, string>? Branches { get; }

    /// <summary>The routed view's default version (one of <see cref="Branches"/>).</summary>
    public int DefaultVersion { get; }

    public bool TableExists => TableColumns.Count > 0;

    public bool ViewExists => ViewColumns is not null;

    /// <summary>The view already routes to the target's table (and has its columns): switching it is only an UPDATE of the serving record.</summary>
    public bool Ready => Branches is not null && Branches.ContainsKey(Target.Version) && TableExists
        && TableColumns.All(c => ViewColumns!.Any(v => v.Name == c.Name && PostgreSqlViewColumns.Holds(v.Type, c.Type)));

    /// <summary>
    /// The target's table can be added to the routed view as a branch: every column of the table is new to the view
    /// (appended), one whose type the view's holds (cast up), or one whose type holds the view's (the view's column is
    /// widened to it, which rebuilds the view).
    /// </summary>
    public bool NeedsBranch => TableExists && Branches is not null && !Branches.ContainsKey(Target.Version) && ColumnsWithTable.Routable;

    /// <summary>The view's columns once the target's table is a branch of it.</summary>
    public PostgreSqlViewColumns ColumnsWithTable => PostgreSqlViewColumns.Plan(ViewColumns ?? [], [(Target.Table, TableColumns)], dropUnread: false);

    /// <summary>The comment that marks a routed view and names its default version.</summary>
    public static string Comment(int defaultVersion) => CommentPrefix + defaultVersion.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads the state of the serving views of <paramref name="targets"/> (catalog reads only, in the connection's current
    /// transaction): their columns, the tables they route, and the user columns of the targets' tables.
    /// </summary>
    public static Dictionary<SinkTarget, PostgreSqlServingView> Read(NpgsqlConnection connection, string schema, IReadOnlyCollection<SinkTarget> targets)
    {
        string[] names = targets.Select(t => t.View).Concat(targets.Select(t => t.Table)).Distinct(StringComparer.Ordinal).ToArray();
        Catalog catalog = ReadCatalog(connection, schema, names);
        var states = new Dictionary<SinkTarget, PostgreSqlServingView>();
        foreach (SinkTarget target in targets)
        {
            List<ViewColumn> table = catalog.Columns.TryGetValue(target.Table, out List<ViewColumn>? found) ? UserColumns(found) : [];
            List<ViewColumn>? view = catalog.Columns.GetValueOrDefault(target.View);
            int defaultVersion = catalog.Defaults.GetValueOrDefault(target.View);
            SortedDictionary<int, string>? branches = view is not null && defaultVersion > 0
                ? ParseBranches(target.View, catalog.Dependencies.GetValueOrDefault(target.View) ?? [])
                : null;
            states[target] = branches is not null && branches.ContainsKey(defaultVersion)
                ? new PostgreSqlServingView(target, table, view, branches, defaultVersion)
                : new PostgreSqlServingView(target, table, view, null, 0);
        }

        return states;
    }

    /// <summary>The user columns of the <paramref name="tables"/> that exist (catalog reads only, in the connection's current transaction).</summary>
    public static Dictionary<string, IReadOnlyList<ViewColumn>> ReadTableColumns(NpgsqlConnection connection, string schema, IReadOnlyCollection<string> tables)
    {
        Catalog catalog = ReadCatalog(connection, schema, tables.Distinct(StringComparer.Ordinal).ToArray());
        return catalog.Columns.ToDictionary(c => c.Key, c => (IReadOnlyList<ViewColumn>)UserColumns(c.Value), StringComparer.Ordinal);
    }

    /// <summary>
    /// The routed view's query over <paramref name="branches"/> (version to table and its user columns), selecting the
    /// view's <paramref name="columns"/>: the branch of <paramref name="defaultVersion"/> serves unless the record names
    /// another branch.
    /// </summary>
    public static string Query(string schema, string sink, PostgreSqlViewColumns columns, IReadOnlyDictionary<int, (string Table, IReadOnlyList<ViewColumn> Columns)> branches, int defaultVersion)
    {
        string serving = $"(SELECT version FROM {PostgreSqlIdentifier.Qualify(schema, PostgreSqlDdl.ServingTable)} WHERE sink = '{sink.Replace("'", "''", StringComparison.Ordinal)}')";
        string others = string.Join(", ", branches.Keys.Where(v => v != defaultVersion).Order().Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return string.Join(
            " UNION ALL ",
            branches.OrderBy(b => b.Key).Select(b =>
            {
                string from = $"SELECT {columns.SelectList(b.Value.Table, b.Value.Columns)} FROM {PostgreSqlIdentifier.Qualify(schema, b.Value.Table)}";
                return b.Key != defaultVersion ? string.Create(CultureInfo.InvariantCulture, $"{from} WHERE {serving} = {b.Key}")
                    : others.Length == 0 ? from
                    : $"{from} WHERE coalesce({serving} NOT IN ({others}), true)";
            }));
    }

    /// <summary>Per relation among <paramref name="names"/>: its columns, and for a view its default version (from its comment) and the relations it reads.</summary>
    private static Catalog ReadCatalog(NpgsqlConnection connection, string schema, string[] names)
    {
        var catalog = new Catalog(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        using var query = new NpgsqlCommand(CatalogQuery, connection);
        query.Parameters.Add(new NpgsqlParameter { Value = schema });
        query.Parameters.Add(new NpgsqlParameter { Value = names });
        query.Prepare(); // a switch's one catalog read: planned once per pooled connection, not at every switch
        using NpgsqlDataReader reader = query.ExecuteReader();
        while (reader.Read())
        {
            string relation = reader.GetString(0);
            string[] columnNames = reader.GetFieldValue<string[]>(1);
            string[] columnTypes = reader.GetFieldValue<string[]>(2);
            catalog.Columns[relation] = columnNames.Zip(columnTypes, (name, type) => new ViewColumn(name, type)).ToList();
            if (!reader.IsDBNull(3) && reader.GetString(3) is { } comment && comment.StartsWith(CommentPrefix, StringComparison.Ordinal)
                && int.TryParse(comment.AsSpan(CommentPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            {
                catalog.Defaults[relation] = version;
            }

            if (!reader.IsDBNull(4))
            {
                catalog.Dependencies[relation] = [.. reader.GetFieldValue<string[]>(4)];
            }
        }

        return catalog;
    }

    private static List<ViewColumn> UserColumns(List<ViewColumn> columns) =>
        columns.Where(c => !c.Name.StartsWith(TableSchema.ReservedPrefix, StringComparison.Ordinal)).ToList();

    /// <summary>
    /// The version tables a routed view reads, by version; null when it reads a relation that is no version table of
    /// it (besides the serving record).
    /// </summary>
    private static SortedDictionary<int, string>? ParseBranches(string view, List<string> relations)
    {
        var branches = new SortedDictionary<int, string>();
        string prefix = view + "_v";
        foreach (string relation in relations.Where(r => r != PostgreSqlDdl.ServingTable))
        {
            string suffix = relation.StartsWith(prefix, StringComparison.Ordinal) ? relation[prefix.Length..] : string.Empty;
            if (suffix.Length == 0 || suffix[0] == '0' || !suffix.All(char.IsAsciiDigit) || !int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            {
                return null;
            }

            branches[version] = relation;
        }

        return branches.Count == 0 ? null : branches;
    }

    /// <summary>What the catalog query read, by relation name.</summary>
    private sealed record Catalog(Dictionary<string, List<ViewColumn>> Columns, Dictionary<string, List<string>> Dependencies, Dictionary<string, int> Defaults);
}

/// <summary>A column of a serving view or table: its name and its type as <c>format_type</c> writes it.</summary>
internal readonly record struct ViewColumn(string Name, string Type);
