using Microsoft.Extensions.Logging;

namespace Kappa.Processing;

/// <summary>Log messages of the processor runner (source-generated, allocation-free when disabled).</summary>
internal static partial class ProcessorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Processor {Processor} starting on {Transport}: inputs {Inputs}, outputs {Outputs}, dead letters {DeadLetterTopic}, group {Group}")]
    public static partial void Starting(ILogger logger, string processor, string transport, string inputs, string outputs, string deadLetterTopic, string group);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Processor {Processor} stopped after {Records} records")]
    public static partial void Stopped(ILogger logger, string processor, long records);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Processor {Processor} sent {Topic}-{Partition}@{Offset} to {DeadLetterTopic} ({Reason}): {Error}")]
    public static partial void DeadLettered(ILogger logger, string processor, string topic, int partition, long offset, string deadLetterTopic, string reason, string error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Processor {Processor} stopped: its handler threw on {Topic}-{Partition}@{Offset}; offsets are committed up to the record before it, so a restart processes it again")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string processor, string topic, int partition, long offset);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Processor {Processor} stopped: {What} failed; offsets of the current batch are not committed")]
    public static partial void TransportFailed(ILogger logger, Exception exception, string processor, string what);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Processor {Processor} assigned {Partitions}")]
    public static partial void Assigned(ILogger logger, string processor, string partitions);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Processor {Processor} revoked {Partitions}; committed {Committed} positions first")]
    public static partial void Revoked(ILogger logger, string processor, string partitions, int committed);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Processor {Processor} committed {Records} records in {Partitions} partitions ({Milliseconds:F1} ms)")]
    public static partial void Committed(ILogger logger, string processor, int records, int partitions, double milliseconds);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Processor {Processor} restoring {Store}-{Partition} from {Changelog} offsets {Start}..{End} ({Source})")]
    public static partial void RestoreStarting(ILogger logger, string processor, string store, int partition, string changelog, long start, long end, string source);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Processor {Processor} restoring: {Done}/{Total} records ({Rate:F0}/s, ETA {EtaSeconds:F1} s) for partitions {Partitions}")]
    public static partial void RestoreProgress(ILogger logger, string processor, long done, long total, double rate, double etaSeconds, string partitions);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Processor {Processor} restored partition {Partition}: {Records} records applied, {Keys} keys in {Milliseconds:F0} ms")]
    public static partial void RestoreDone(ILogger logger, string processor, int partition, long records, int keys, double milliseconds);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Processor {Processor} ignores the snapshot of {Store}-{Partition} and replays the whole changelog: {Reason}")]
    public static partial void SnapshotIgnored(ILogger logger, string processor, string store, int partition, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Processor {Processor} aborted a transaction ({Attempt}/{MaxAttempts}); state of the affected partitions is rolled back and the batch is processed again")]
    public static partial void TransactionAborted(ILogger logger, Exception exception, string processor, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Processor {Processor} stopped: fenced by a newer instance with transactional id {TransactionalId}")]
    public static partial void Fenced(ILogger logger, Exception exception, string processor, string transactionalId);
}
