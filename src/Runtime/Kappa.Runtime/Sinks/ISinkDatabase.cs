namespace Kappa.Sinks;

/// <summary>
/// A database serving tables are materialized into (Kappa.PostgreSql, Kappa.Sqlite). Thread-safe: each call uses its
/// own connection. <see cref="Description"/> identifies the database: two instances with the same description are the
/// same database (the lifecycle relies on it to check that a version's sinks all live in its serving database).
/// </summary>
public interface ISinkDatabase
{
    /// <summary>For logs ("sqlite at ./orders.db", "postgresql schema public at host:5432/app").</summary>
    string Description { get; }

    /// <summary>Opens a writer's session on the table of <paramref name="target"/> (a new connection).</summary>
    ISinkTable<T> OpenTable<T>(SinkTarget target)
        where T : ITableRecord<T>;

    /// <summary>
    /// Points the serving view of each of <paramref name="targets"/>' sinks at its table, and records the serving
    /// versions, all in ONE database transaction: a reader that reads several of these views in one snapshot sees every
    /// view on its old table or every view on its new one, never some of each, and never an error or a missing view. One
    /// snapshot is one statement, or one read transaction that keeps its snapshot (SQLite: a deferred transaction;
    /// PostgreSQL: REPEATABLE READ; under PostgreSQL's READ COMMITTED each statement has its own snapshot). All or
    /// nothing: when one table does not exist (its writer has not opened it, or it lives in another database) nothing is
    /// switched and <see cref="InvalidOperationException"/> names the missing tables. The targets are distinct sinks (at
    /// most one version per sink). An empty set does nothing.
    /// </summary>
    void SwitchServingViews(IReadOnlyCollection<SinkTarget> targets);

    /// <summary>
    /// Readies the serving views of <paramref name="targets"/>' sinks so that a later <see cref="SwitchServingViews"/> to
    /// them changes no view definition (PostgreSQL: adds each version's table to its routed view, appending the columns
    /// the view does not have yet and rebuilding it with the wider type of a column the version widens; the lifecycle
    /// calls it when a version is caught up). It changes no value readers see (an appended column is NULL until the
    /// switch; a widened column's type is wider from then on, its values unchanged), and may wait for them. Optional:
    /// <see cref="SwitchServingViews"/> does it itself when it was not done. Targets whose table or view does not exist
    /// yet are skipped (the switch creates the view, and names missing tables). The default does nothing.
    /// </summary>
    void PrepareServingViews(IReadOnlyCollection<SinkTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
    }

    /// <summary>Switches one sink's serving view: <see cref="SwitchServingViews"/> of one target.</summary>
    void SwitchServingView(SinkTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        SwitchServingViews([target]);
    }

    /// <summary>The version the sink's view serves, or null when it was never switched.</summary>
    int? GetServingVersion(string sink);

    /// <summary>
    /// The next offset to read of each partition of <paramref name="target"/>'s topic that its table has committed (what
    /// its writer's <see cref="ISinkTable{T}.Open"/> returns). Partitions absent have no committed row: nothing of them
    /// is in the table yet. Empty when the writer never committed (or the table was dropped).
    /// </summary>
    IReadOnlyDictionary<int, long> GetCommittedOffsets(SinkTarget target);

    /// <summary>
    /// Drops the table of <paramref name="target"/> and its committed offsets, so its next writer rebuilds it from the
    /// topic alone (PostgreSQL: first takes the table out of its routed view, which waits for the view's readers).
    /// Refuses to drop the version the view serves.
    /// </summary>
    void DropTable(SinkTarget target);
}
