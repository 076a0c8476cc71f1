using Microsoft.Extensions.Logging;

namespace Kappa.Sinks;

/// <summary>Log messages of sink writers (source-generated). Event ids 100-119.</summary>
internal static partial class SinkWriterLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Sink writer {Table} starting: {Topic} on {Transport} into {Database}; dead letters to {DeadLetterTopic}")]
    public static partial void Starting(ILogger logger, string table, string topic, string transport, string database, string deadLetterTopic);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Sink writer {Table} resumes {Topic} at the offsets its table committed: {Positions}")]
    public static partial void Resuming(ILogger logger, string table, string topic, string positions);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Sink writer {Table}: the database or the transport failed; nothing of the current batch ({Records} records) was committed. Retrying in {Delay} from the offsets in the database")]
    public static partial void Failed(ILogger logger, Exception exception, string table, int records, TimeSpan delay);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Sink writer {Table} recovered after {Failures} failed attempts")]
    public static partial void Recovered(ILogger logger, string table, int failures);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Sink writer {Table} sent {Topic}-{Partition}@{Offset} to {DeadLetterTopic} ({Reason}): {Error}")]
    public static partial void DeadLettered(ILogger logger, string table, string topic, int partition, long offset, string deadLetterTopic, string reason, string error);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Sink writer {Table} waits for its topic {Topic} to be created")]
    public static partial void WaitingForTopic(ILogger logger, string table, string topic);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Sink writer {Table}: {Topic}-{Partition} starts at {LogStart} but the table committed up to {Committed}; records in between were deleted from the log, so the table misses them (rebuild it from a log that keeps everything)")]
    public static partial void OffsetsBeforeLogStart(ILogger logger, string table, string topic, int partition, long logStart, long committed);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug, Message = "Sink writer {Table} committed {Rows} rows of {Records} records ({Milliseconds:F1} ms)")]
    public static partial void Committed(ILogger logger, string table, int rows, int records, double milliseconds);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "Sink writer {Table}: the schema registry did not answer the lookup of schema id {SchemaId}; nothing of the current batch ({Records} records) was committed and no record was dead-lettered for it. Retrying in {Delay} from the offsets in the database")]
    public static partial void RegistryUnavailable(ILogger logger, Exception exception, string table, int schemaId, int records, TimeSpan delay);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "Sink writer {Table} stopped after {Records} records")]
    public static partial void Stopped(ILogger logger, string table, long records);
}
