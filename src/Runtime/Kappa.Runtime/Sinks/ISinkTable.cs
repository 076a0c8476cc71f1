namespace Kappa.Sinks;

/// <summary>
/// One writer's open session on its table (one database connection). Used from one thread. The database implements
/// exactly-once: <see cref="Write"/> commits a batch's rows and its next offsets in one transaction, or nothing.
/// </summary>
public interface ISinkTable<T> : IDisposable
    where T : ITableRecord<T>
{
    /// <summary>
    /// Creates what is missing (the offsets table, the table with its hidden columns and indexes) and returns the next
    /// offset to read of each partition of <paramref name="topic"/> the table has committed. Partitions absent from the
    /// result have no committed row: read them from the start of the log.
    /// </summary>
    IReadOnlyDictionary<int, long> Open(string topic);

    /// <summary>
    /// Applies the batch and stores <see cref="SinkBatch{T}.NextOffsets"/>, in one transaction. Rows the database refuses
    /// (a constraint, a value out of range, a NUL byte in text) are left out and passed to
    /// <paramref name="beforeCommit"/>, which runs inside the transaction just before it commits (the writer dead-letters
    /// them there); if it throws, nothing is committed. Any other failure (connection lost, server gone) throws, and
    /// nothing of the batch is committed.
    /// </summary>
    void Write(SinkBatch<T> batch, Action<IReadOnlyList<SinkRejection>> beforeCommit);
}
