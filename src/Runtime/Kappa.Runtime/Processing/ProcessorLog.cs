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
}
