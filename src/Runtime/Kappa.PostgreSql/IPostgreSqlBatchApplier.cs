using Kappa.Sinks;

namespace Kappa.PostgreSql;

/// <summary>Applies a range of a batch's rows inside the caller's transaction: one implementation per table mode.</summary>
internal interface IPostgreSqlBatchApplier<T> : IDisposable
    where T : ITableRecord<T>
{
    /// <summary>Applies rows [<paramref name="from"/>, <paramref name="to"/>) of the batch, in order.</summary>
    void Apply(SinkBatch<T> batch, int from, int to);

    /// <summary>Called after a failed statement was rolled back (to a savepoint or entirely): forget what the applier assumed about session state.</summary>
    void Reset();

    /// <summary>Called after the transaction committed (the staging table is empty again: ON COMMIT DELETE ROWS).</summary>
    void Committed();
}
