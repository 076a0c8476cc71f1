using Kappa.Sinks;
using Npgsql;

namespace Kappa.PostgreSql;

/// <summary>
/// Serving tables in one schema of a PostgreSQL database (default <c>public</c>). Tables, the offsets table
/// <c>_kappa_offsets</c> and the serving record <c>_kappa_serving</c> live in that schema; every identifier is quoted.
/// </summary>
public sealed class PostgreSqlSinkDatabase : ISinkDatabase, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private volatile bool _sharedCreated;

    public PostgreSqlSinkDatabase(string connectionString, string schema = "public")
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        PostgreSqlIdentifier.Validate(schema);
        Schema = schema;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _dataSource = NpgsqlDataSource.Create(builder);
        Description = $"postgresql schema {schema} at {builder.Host}:{builder.Port}/{builder.Database}";
    }

    public string Schema { get; }

    public string Description { get; }

    /// <summary>A new open connection to the database (callers dispose it).</summary>
    public NpgsqlConnection OpenConnection() => _dataSource.OpenConnection();

    public ISinkTable<T> OpenTable<T>(SinkTarget target)
        where T : ITableRecord<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        NpgsqlConnection connection = _dataSource.OpenConnection();
        try
        {
            return new PostgreSqlSinkTable<T>(connection, Schema, target);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Switches the views of <paramref name="targets"/> and records their serving versions in one transaction.
    /// <para>
    /// <b>Routed switch</b> (the usual case): each view is a routed view (<see cref="PostgreSqlServingView"/>), a
    /// <c>UNION ALL</c> over the sink's version tables, each branch guarded by the sink's serving record; its columns are
    /// the union of the tables' (<see cref="PostgreSqlViewColumns"/>: added and dropped columns, narrower and widened
    /// types). When every view already has a branch for its target's table, the switch is one UPDATE of the serving records, in one
    /// transaction: no DDL, no lock on any view, so readers never wait for it and it never waits for them; a statement (or
    /// a REPEATABLE READ transaction) sees every view on the old version or every view on the new one, as its snapshot
    /// saw the records. Missing branches for tables whose columns their views can hold, or widen, are added first, new
    /// columns appended and widened ones rebuilt with the wider type (<see cref="PrepareServingViews"/>, which changes no
    /// value readers see and may wait for them).
    /// </para>
    /// <para>
    /// <b>DDL switch</b> (a view that does not exist yet, was made before routing, or has a column whose type and the
    /// type of its new table's column of that name hold not each other's values: text and a number, <c>bigint</c> and
    /// <c>double precision</c>, ...): in one transaction, every target view's
    /// ACCESS EXCLUSIVE lock, every view redefined over its new table
    /// alone (<c>CREATE OR REPLACE VIEW</c> when the columns allow it, else <c>DROP VIEW</c> + <c>CREATE VIEW</c>), and
    /// the records. A reader holds its lock on a view to the end of its transaction, so a reader that read one view before
    /// the switch locked it reads the others before the switch too (the switch waits for it), and a reader that waited
    /// reads them all after. A reader holding one view and waiting for another the switch holds would deadlock with it,
    /// so a DDL switch of several views never waits: each attempt takes every view's lock only if it is free within
    /// <see cref="LockTimeout"/>, else rolls back and tries again a moment later. A DDL switch of one view waits in the
    /// view's lock queue, up to <see cref="SingleViewLockTimeout"/> per attempt.
    /// </para>
    /// Either gives up after <see cref="SwitchTimeout"/> with nothing switched.
    /// </summary>
    public void SwitchServingViews(IReadOnlyCollection<SinkTarget> targets)
    {
        SinkTarget[] ordered = ServingViews.Ordered(targets);
        if (ordered.Length == 0)
        {
            return;
        }

        using NpgsqlConnection connection = _dataSource.OpenConnection();
        EnsureShared(connection);
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (int round = 1; ; round++)
        {
            // The serving records' lock before the catalog read (EnsureShared created their table).
            PostgreSqlServingView[] pending = PostgreSqlLockRetry.Run(connection, PostgreSqlLockRetry.Constant(SingleViewLockTimeout), SwitchTimeout - started.Elapsed, c => SwitchRouted(c, ordered), SwitchGiveUp(ordered), LockServingRecordsSql);
            if (pending.Length == 0)
            {
                return;
            }

            if (round < 3 && pending.All(p => p.NeedsBranch))
            {
                AddBranches(connection, pending.Select(p => p.Target).ToArray(), started, SwitchGiveUp(ordered));
                continue;
            }

            PostgreSqlLockRetry.Run(connection, PostgreSqlLockRetry.Constant(ordered.Length == 1 ? SingleViewLockTimeout : LockTimeout), SwitchTimeout - started.Elapsed, c => SwitchByDdl(c, ordered), SwitchGiveUp(ordered));
            return;
        }
    }

    /// <summary>
    /// Adds to each target's routed view a branch for the target's table, all in one transaction, when every target
    /// whose table exists can have one (its view is routed and its columns can hold or widen to the table's; the table's
    /// new columns are appended, NULL in the other branches); else does nothing, the switch to these targets being a DDL
    /// switch anyway. A column whose type the table widens (<c>integer</c> to <c>bigint</c>, <c>numeric(7,2)</c> to
    /// <c>numeric(12,2)</c>, ...) takes the wider type: the view is dropped and created again in the same transaction,
    /// the other branches cast up to it (values unchanged; privileges granted on the view are lost, and views depending on
    /// it make it fail), so the switch stays one UPDATE. Changes no value readers see (an appended column is NULL until
    /// the switch; a widened column has the serving version's values in the wider type): a new branch serves only when
    /// the record names its version. Waits for the views' readers as a DDL switch does (one view: it queues for the lock up to a
    /// timeout that starts at <see cref="LockTimeout"/> and doubles up to <see cref="SingleViewLockTimeout"/>; several:
    /// it takes them only when all are free), and gives up after <see cref="SwitchTimeout"/> with the views unchanged.
    /// Skips targets whose table does not exist yet.
    /// </summary>
    public void PrepareServingViews(IReadOnlyCollection<SinkTarget> targets)
    {
        SinkTarget[] ordered = ServingViews.Ordered(targets);
        if (ordered.Length == 0)
        {
            return;
        }

        using NpgsqlConnection connection = _dataSource.OpenConnection();
        PostgreSqlServingView[] existing = PostgreSqlServingView.Read(connection, Schema, ordered).Values.Where(v => v.TableExists).ToArray();
        if (existing.Length == 0 || !existing.All(v => v.Ready || v.NeedsBranch) || existing.All(v => v.Ready))
        {
            return;
        }

        AddBranches(
            connection,
            existing.Where(v => v.NeedsBranch).Select(v => v.Target).OrderBy(t => t.View, StringComparer.Ordinal).ToArray(),
            System.Diagnostics.Stopwatch.StartNew(),
            (attempts, elapsed, error) => new InvalidOperationException($"Cannot add {string.Join(", ", ordered.Select(t => t.Table))} to their serving views in {Description}: after {attempts} attempts in {elapsed.TotalSeconds:0.#} s the views' locks are still held by other transactions (reads of the views that never pause). The views are unchanged.", error));
    }

    /// <summary>How long a DDL switch of several views waits for each view's lock in one attempt (1 ms: it takes them only when they are free); the first wait of a prepare of one view.</summary>
    public static TimeSpan LockTimeout { get; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How long a DDL switch of one view waits in its lock queue in one attempt (1 s); the longest wait of a prepare of one view, and a routed switch's wait for another switch.</summary>
    public static TimeSpan SingleViewLockTimeout { get; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the switch keeps trying before it gives up with nothing switched (30 s).</summary>
    public static TimeSpan SwitchTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The routed switch's transaction: when every view routes to its target's table, records the serving versions and
    /// returns nothing; else returns the views that need a branch or DDL (and records nothing).
    /// </summary>
    private PostgreSqlServingView[] SwitchRouted(NpgsqlConnection connection, SinkTarget[] targets)
    {
        Dictionary<SinkTarget, PostgreSqlServingView> views = ReadExisting(connection, targets);
        PostgreSqlServingView[] pending = targets.Select(t => views[t]).Where(v => !v.Ready).ToArray();
        if (pending.Length == 0)
        {
            RecordServing(connection, targets);
        }

        return pending;
    }

    /// <summary>
    /// The DDL switch's transaction: every view's lock, every view redefined over its new table alone (as its default:
    /// a REPEATABLE READ reader whose snapshot is older than the switch, and that reads a view after it, sees the new
    /// version in every view), the records.
    /// </summary>
    private int SwitchByDdl(NpgsqlConnection connection, SinkTarget[] targets)
    {
        LockServingRecords(connection);
        PostgreSqlServingView[] views = ReadExisting(connection, targets).Values.OrderBy(v => v.Target.View, StringComparer.Ordinal).ToArray();
        LockViews(connection, views.Where(v => v.ViewExists).Select(v => v.Target));
        foreach (PostgreSqlServingView view in views)
        {
            Define(connection, view.Target, [], new SortedDictionary<int, string> { [view.Target.Version] = view.Target.Table }, view.Target.Version, dropUnread: true);
        }

        RecordServing(connection, targets);
        return targets.Length;
    }

    /// <summary>Adds the targets' branches to their routed views in one transaction (their defaults unchanged), retrying on busy locks.</summary>
    private void AddBranches(NpgsqlConnection connection, SinkTarget[] targets, System.Diagnostics.Stopwatch started, Func<int, TimeSpan, PostgresException, Exception> giveUp)
    {
        if (targets.Length == 0)
        {
            return;
        }

        Func<int, TimeSpan> wait = targets.Length == 1 ? PostgreSqlLockRetry.Doubling(LockTimeout, SingleViewLockTimeout) : PostgreSqlLockRetry.Constant(LockTimeout);
        PostgreSqlLockRetry.Run(
            connection,
            wait,
            SwitchTimeout - started.Elapsed,
            c =>
            {
                LockServingRecords(c);
                PostgreSqlServingView[] views = PostgreSqlServingView.Read(c, Schema, targets).Values.Where(v => v.NeedsBranch).OrderBy(v => v.Target.View, StringComparer.Ordinal).ToArray();
                LockViews(c, views.Select(v => v.Target));
                foreach (PostgreSqlServingView view in views)
                {
                    var branches = new SortedDictionary<int, string>(view.Branches!) { [view.Target.Version] = view.Target.Table };
                    Define(c, view.Target, view.ViewColumns!, branches, view.DefaultVersion, dropUnread: false);
                }

                return targets.Length;
            },
            giveUp);
    }

    /// <summary>
    /// Takes the views' ACCESS EXCLUSIVE locks back to back, in view order, in one round trip, before any other work of
    /// the transaction, so that the transaction never holds one view's lock for long while it waits for another's (a
    /// reader holding that other view and waiting for the first would otherwise wait long enough for PostgreSQL's
    /// deadlock check to cancel it). A no-op <c>ALTER VIEW ... OWNER TO CURRENT_USER</c> takes a view's lock alone:
    /// <c>LOCK TABLE</c> on a view also locks every table it reads, the serving record included, in the same mode.
    /// </summary>
    private void LockViews(NpgsqlConnection connection, IEnumerable<SinkTarget> targets)
    {
        string[] statements = targets.Select(t => t.View).Order(StringComparer.Ordinal).Select(v => $"ALTER VIEW {PostgreSqlIdentifier.Qualify(Schema, v)} OWNER TO CURRENT_USER").ToArray();
        if (statements.Length > 0)
        {
            Execute(connection, string.Join("; ", statements));
        }
    }

    /// <summary>
    /// (Re)defines the view of <paramref name="target"/> as the routed view over <paramref name="branches"/> (version to
    /// table), its columns planned by <see cref="PostgreSqlViewColumns"/> from the view's <paramref name="existing"/>
    /// columns and the tables' columns: with <paramref name="dropUnread"/> the existing columns that no table has any more
    /// leave the view; a column a table widens takes the wider type (in both cases the view is dropped and created again,
    /// which <c>CREATE OR REPLACE VIEW</c> cannot do).
    /// </summary>
    private void Define(NpgsqlConnection connection, SinkTarget target, IReadOnlyList<ViewColumn> existing, IReadOnlyDictionary<int, string> branches, int defaultVersion, bool dropUnread)
    {
        Dictionary<string, IReadOnlyList<ViewColumn>> found = PostgreSqlServingView.ReadTableColumns(connection, Schema, branches.Values.ToArray());
        var tables = new SortedDictionary<int, (string Table, IReadOnlyList<ViewColumn> Columns)>();
        foreach ((int version, string table) in branches)
        {
            tables[version] = found.TryGetValue(table, out IReadOnlyList<ViewColumn>? columns) && columns.Count > 0
                ? (table, columns)
                : throw new InvalidOperationException($"Cannot define the serving view {PostgreSqlIdentifier.Qualify(Schema, target.View)}: its table {PostgreSqlIdentifier.Qualify(Schema, table)} does not exist in {Description}.");
        }

        PostgreSqlViewColumns planned = PostgreSqlViewColumns.Plan(existing, tables.Values.ToArray(), dropUnread);
        if (!planned.Routable)
        {
            throw new InvalidOperationException($"Cannot define the serving view {PostgreSqlIdentifier.Qualify(Schema, target.View)} over {string.Join(", ", branches.Values)} in {Description}: {string.Join("; ", planned.Conflicts)}.");
        }

        string view = PostgreSqlIdentifier.Qualify(Schema, target.View);
        string query = PostgreSqlServingView.Query(Schema, target.Sink, planned, tables, defaultVersion);
        // A prepare's widened column is a type change, which CREATE OR REPLACE cannot make: straight to the rebuild.
        if (planned.Widened.Count > 0 || !TryReplace(connection, view, query))
        {
            Execute(connection, $"DROP VIEW IF EXISTS {view}");
            Execute(connection, $"CREATE VIEW {view} AS {query}");
        }

        Execute(connection, $"COMMENT ON VIEW {view} IS '{PostgreSqlServingView.Comment(defaultVersion)}'");
    }

    /// <summary>
    /// <c>CREATE OR REPLACE VIEW</c>; false, with the transaction as it was, when PostgreSQL refuses the change of columns
    /// (a DDL switch's retyped or removed columns, retire's removed ones).
    /// </summary>
    private static bool TryReplace(NpgsqlConnection connection, string view, string query)
    {
        Execute(connection, "SAVEPOINT kappa_view");
        try
        {
            Execute(connection, $"CREATE OR REPLACE VIEW {view} AS {query}");
            Execute(connection, "RELEASE SAVEPOINT kappa_view");
            return true;
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.InvalidTableDefinition)
        {
            Execute(connection, "ROLLBACK TO SAVEPOINT kappa_view");
            return false;
        }
    }

    /// <summary>
    /// Serializes the changes of serving views and records (switches, prepares, drops; not readers, which take ACCESS
    /// SHARE): a routed switch relies on the branches it read staying until it commits, a prepare or a drop on the
    /// branches it read.
    /// </summary>
    private void LockServingRecords(NpgsqlConnection connection) => Execute(connection, LockServingRecordsSql);

    private string LockServingRecordsSql => $"LOCK TABLE {PostgreSqlIdentifier.Qualify(Schema, PostgreSqlDdl.ServingTable)} IN SHARE ROW EXCLUSIVE MODE";

    /// <summary>The targets' views; throws, naming them, when some targets' tables do not exist.</summary>
    private Dictionary<SinkTarget, PostgreSqlServingView> ReadExisting(NpgsqlConnection connection, SinkTarget[] targets)
    {
        Dictionary<SinkTarget, PostgreSqlServingView> views = PostgreSqlServingView.Read(connection, Schema, targets);
        string[] missing = targets.Where(t => !views[t].TableExists).Select(t => PostgreSqlIdentifier.Qualify(Schema, t.Table)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException($"Cannot switch the serving views of {string.Join(", ", targets.Select(t => t.Table).Order(StringComparer.Ordinal))}: {string.Join(", ", missing)} {(missing.Length == 1 ? "does" : "do")} not exist in {Description} (start the sink writers first; a version's sinks are switched together, so they must all live in this database). Nothing was switched.");
        }

        return views;
    }

    private void RecordServing(NpgsqlConnection connection, SinkTarget[] targets)
    {
        using var record = new NpgsqlCommand($"INSERT INTO {PostgreSqlIdentifier.Qualify(Schema, PostgreSqlDdl.ServingTable)} (sink, table_name, version, switched_at) SELECT s, t, v, now() FROM unnest(@sinks, @tables, @versions) AS x(s, t, v) ON CONFLICT (sink) DO UPDATE SET table_name = EXCLUDED.table_name, version = EXCLUDED.version, switched_at = EXCLUDED.switched_at", connection);
        record.Parameters.AddWithValue("sinks", targets.Select(t => t.Sink).ToArray());
        record.Parameters.AddWithValue("tables", targets.Select(t => t.Table).ToArray());
        record.Parameters.AddWithValue("versions", targets.Select(t => t.Version).ToArray());
        record.Prepare();
        record.ExecuteNonQuery();
    }

    private Func<int, TimeSpan, PostgresException, Exception> SwitchGiveUp(SinkTarget[] targets) =>
        (attempts, elapsed, error) => new InvalidOperationException($"Cannot switch the serving views of {string.Join(", ", targets.Select(t => t.Table))} in {Description}: after {attempts} attempts in {elapsed.TotalSeconds:0.#} s their locks are still held by other transactions (reads of the views that never pause, or another switch). Nothing was switched.", error);

    public int? GetServingVersion(string sink)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        using NpgsqlConnection connection = _dataSource.OpenConnection();
        EnsureShared(connection);
        return ServingVersion(connection, sink);
    }

    public IReadOnlyDictionary<int, long> GetCommittedOffsets(SinkTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        using NpgsqlConnection connection = _dataSource.OpenConnection();
        EnsureShared(connection);
        return PostgreSqlDdl.ReadOffsets(connection, Schema, target.Table, target.Topic);
    }

    private int? ServingVersion(NpgsqlConnection connection, string sink)
    {
        using var command = new NpgsqlCommand($"SELECT version FROM {PostgreSqlIdentifier.Qualify(Schema, PostgreSqlDdl.ServingTable)} WHERE sink = @sink", connection);
        command.Parameters.AddWithValue("sink", sink);
        return command.ExecuteScalar() is int version ? version : null;
    }

    /// <summary>
    /// Drops the table of <paramref name="target"/> and its offsets rows, in one transaction that first takes the table
    /// out of its routed view (DDL: it waits for the view's readers as a prepare does, and changes nothing they see, the
    /// version not being the serving one, except that the columns no remaining table has leave the view). A column a
    /// version widened keeps its wider type, even when that version is the one dropped: narrowing it back would be one
    /// more type change for readers and one more rebuild. Refuses the serving version.
    /// </summary>
    public void DropTable(SinkTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        using NpgsqlConnection connection = _dataSource.OpenConnection();
        EnsureShared(connection);
        PostgreSqlLockRetry.Run(
            connection,
            PostgreSqlLockRetry.Doubling(LockTimeout, SingleViewLockTimeout),
            SwitchTimeout,
            c =>
            {
                LockServingRecords(c);
                if (ServingVersion(c, target.Sink) == target.Version)
                {
                    throw new InvalidOperationException($"{target.Table} is the serving version of {target.Sink}; switch the view to another version before dropping it.");
                }

                PostgreSqlServingView view = PostgreSqlServingView.Read(c, Schema, [target])[target];
                if (view.Branches?.ContainsKey(target.Version) == true)
                {
                    LockViews(c, [target]);
                    var rest = new SortedDictionary<int, string>(view.Branches!);
                    rest.Remove(target.Version);
                    int? serving = ServingVersion(c, target.Sink);
                    if (rest.Count == 0)
                    {
                        throw new InvalidOperationException($"Cannot drop {target.Table}: the serving view {target.View} reads no other table, although the serving record of {target.Sink} names {(serving is int v ? "v" + v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no version")}; switch the view to another version first. Nothing was dropped.");
                    }

                    int defaultVersion = view.DefaultVersion != target.Version ? view.DefaultVersion
                        : serving is int s && rest.ContainsKey(s) ? s
                        : rest.Keys.Max();
                    Define(c, target, view.ViewColumns!, rest, defaultVersion, dropUnread: true);
                }

                Execute(c, $"DROP TABLE IF EXISTS {PostgreSqlIdentifier.Qualify(Schema, target.Table)}");
                using var command = new NpgsqlCommand($"DELETE FROM {PostgreSqlIdentifier.Qualify(Schema, PostgreSqlDdl.OffsetsTable)} WHERE table_name = @table", c);
                command.Parameters.AddWithValue("table", target.Table);
                return command.ExecuteNonQuery();
            },
            (attempts, elapsed, error) => new InvalidOperationException($"Cannot drop {target.Table} in {Description}: after {attempts} attempts in {elapsed.TotalSeconds:0.#} s the locks of the view {target.View} or of the table are still held by other transactions (reads that never pause). Nothing was dropped.", error));
    }

    public void Dispose() => _dataSource.Dispose();

    /// <summary>Creates the schema and the shared tables once per instance (<see cref="PostgreSqlDdl.CreateShared"/>).</summary>
    private void EnsureShared(NpgsqlConnection connection)
    {
        if (_sharedCreated)
        {
            return;
        }

        using (NpgsqlTransaction transaction = connection.BeginTransaction())
        {
            Execute(connection, PostgreSqlDdl.CreateShared(Schema));
            transaction.Commit();
        }

        _sharedCreated = true;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
