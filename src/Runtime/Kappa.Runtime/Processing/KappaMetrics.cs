using System.Diagnostics.Metrics;

namespace Kappa.Processing;

/// <summary>The instruments of the "Kappa" meter. Processor measurements carry the tag <c>kappa.processor</c> = <c>{name}.v{N}</c>; sink writer measurements (<c>kappa.sink.*</c>) carry <c>kappa.sink.table</c> = <c>{sink}_v{N}</c>.</summary>
public static class KappaMetrics
{
    public const string MeterName = "Kappa";

    public const string ProcessorTag = "kappa.processor";

    /// <summary>Tag of sink writer measurements: the table, <c>{sink}_v{N}</c>.</summary>
    public const string SinkTableTag = "kappa.sink.table";

    internal static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> RecordsProcessed = Meter.CreateCounter<long>("kappa.processor.records", "{record}", "Input records processed (including dead-lettered ones).");

    internal static readonly Counter<long> OutputsProduced = Meter.CreateCounter<long>("kappa.processor.outputs", "{record}", "Output records produced by handlers.");

    internal static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("kappa.processor.dead_letters", "{record}", "Records sent to the dead-letter topic.");

    internal static readonly Counter<long> Batches = Meter.CreateCounter<long>("kappa.processor.batches", "{batch}", "Batches flushed and committed.");

    internal static readonly Counter<long> RestoredRecords = Meter.CreateCounter<long>("kappa.state.restore.records", "{record}", "Changelog records applied while restoring state.");

    internal static readonly UpDownCounter<long> RestoreRemaining = Meter.CreateUpDownCounter<long>("kappa.state.restore.remaining", "{record}", "Changelog records still to restore (an estimate: the changelog end offset minus the position).");

    internal static readonly Histogram<double> RestoreDuration = Meter.CreateHistogram<double>("kappa.state.restore.duration", "ms", "Time to restore the stores of one partition.");

    internal static readonly Counter<long> TransactionsAborted = Meter.CreateCounter<long>("kappa.processor.transactions.aborted", "{transaction}", "Transactions aborted after a failure (their batch is retried from the last commit).");

    internal static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("kappa.processor.commit.duration", "ms", "Time to flush outputs and commit offsets of one batch.");

    internal static readonly Counter<long> SinkRowsWritten = Meter.CreateCounter<long>("kappa.sink.rows", "{row}", "Records a sink writer applied to its table (rows inserted or updated, and tombstones applied).");

    internal static readonly Counter<long> SinkDeadLettered = Meter.CreateCounter<long>("kappa.sink.dead_letters", "{record}", "Records a sink writer sent to its dead-letter topic (refused by the database or undecodable).");

    internal static readonly Histogram<double> SinkBatchDuration = Meter.CreateHistogram<double>("kappa.sink.batch.duration", "ms", "Time to write and commit one sink batch (rows and offsets in one database transaction).");

    internal static readonly UpDownCounter<long> SinkLag = Meter.CreateUpDownCounter<long>("kappa.sink.lag", "{record}", "Records of the sink's topic not yet committed to its table (end offsets minus committed offsets).");

    internal static readonly Counter<long> SinkFailures = Meter.CreateCounter<long>("kappa.sink.failures", "{failure}", "Batches that failed (database or transport gone) and were retried from the database's offsets.");
}
