namespace Kappa.Sinks;

/// <summary>
/// A database serving tables are materialized into (Kappa.PostgreSql, Kappa.Sqlite). Thread-safe: each call uses its
/// own connection.
/// </summary>
public interface ISinkDatabase
{
    /// <summary>For logs ("sqlite at ./orders.db", "postgresql schema public at host:5432/app").</summary>
    string Description { get; }

    /// <summary>Opens a writer's session on the table of <paramref name="target"/> (a new connection).</summary>
    ISinkTable<T> OpenTable<T>(SinkTarget target)
        where T : ITableRecord<T>;

    /// <summary>
    /// Points the serving view of <paramref name="target"/>'s sink at its table, in one transaction that also records the
    /// serving version: concurrent readers of the view see the old table or the new one, never an error or no view.
    /// The table must exist (its writer has opened it).
    /// </summary>
    void SwitchServingView(SinkTarget target);

    /// <summary>The version the sink's view serves, or null when it was never switched.</summary>
    int? GetServingVersion(string sink);

    /// <summary>
    /// Drops the table of <paramref name="target"/> and its committed offsets, so its next writer rebuilds it from the
    /// topic alone. Refuses to drop the version the view serves.
    /// </summary>
    void DropTable(SinkTarget target);
}
