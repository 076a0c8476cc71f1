using Kappa.Sinks;

namespace Kappa.SinkHost;

/// <summary>
/// Wraps a real database so each batch holds its transaction open a few milliseconds longer, after its rows are written
/// and before it commits: SQLite writes the crash test's whole workload in a fraction of a second, faster than the test
/// can aim a SIGKILL, and this way most kills land inside an open transaction (the case exactly-once is about).
/// </summary>
internal sealed class PacedSinkDatabase(ISinkDatabase inner, TimeSpan pace) : ISinkDatabase
{
    public string Description => inner.Description;

    public ISinkTable<T> OpenTable<T>(SinkTarget target)
        where T : ITableRecord<T> => new PacedTable<T>(inner.OpenTable<T>(target), pace);

    public void SwitchServingViews(IReadOnlyCollection<SinkTarget> targets) => inner.SwitchServingViews(targets);

    public void PrepareServingViews(IReadOnlyCollection<SinkTarget> targets) => inner.PrepareServingViews(targets);

    public int? GetServingVersion(string sink) => inner.GetServingVersion(sink);

    public IReadOnlyDictionary<int, long> GetCommittedOffsets(SinkTarget target) => inner.GetCommittedOffsets(target);

    public void DropTable(SinkTarget target) => inner.DropTable(target);

    private sealed class PacedTable<T>(ISinkTable<T> table, TimeSpan pace) : ISinkTable<T>
        where T : ITableRecord<T>
    {
        public IReadOnlyDictionary<int, long> Open(string topic) => table.Open(topic);

        public void Write(SinkBatch<T> batch, Action<IReadOnlyList<SinkRejection>> beforeCommit) =>
            table.Write(batch, rejections =>
            {
                Thread.Sleep(pace);
                beforeCommit(rejections);
            });

        public void Dispose() => table.Dispose();
    }
}
