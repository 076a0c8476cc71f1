using System.Diagnostics;
using System.Text;
using Kappa.Transport;

namespace Kappa.Processing;

/// <summary>
/// The "Kappa" <see cref="ActivitySource"/> (named like the meter, <see cref="KappaMetrics.MeterName"/>) and the W3C
/// trace context in record headers. The runner starts a span per consumed batch, a span per processed record (child of
/// the context the record carries in <see cref="TraceParentHeader"/>, if any) and a span per produced output or dead
/// letter, whose context it writes into that record's headers. Attributes follow the OpenTelemetry messaging semantic
/// conventions for Kafka. Nothing is allocated or parsed unless a listener is attached (<see cref="ActivitySource.HasListeners"/>).
/// See docs/observability.md.
/// </summary>
public static class KappaTracing
{
    public const string ActivitySourceName = KappaMetrics.MeterName;

    /// <summary>The W3C trace context header (<c>00-{trace-id}-{span-id}-{flags}</c>).</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The W3C trace state header (vendor-specific key=value list), written when the context has one.</summary>
    public const string TraceStateHeader = "tracestate";

    public const string MessagingSystem = "messaging.system";

    public const string MessagingOperationName = "messaging.operation.name";

    public const string MessagingOperationType = "messaging.operation.type";

    public const string MessagingDestinationName = "messaging.destination.name";

    public const string MessagingPartition = "messaging.destination.partition.id";

    public const string MessagingConsumerGroup = "messaging.consumer.group.name";

    public const string MessagingBatchCount = "messaging.batch.message_count";

    public const string MessagingKafkaOffset = "messaging.kafka.offset";

    public const string MessagingKafkaKey = "messaging.kafka.message.key";

    /// <summary>Whether the record was dead-lettered (<c>true</c>) on a processing span; absent otherwise.</summary>
    public const string DeadLetteredTag = "kappa.dead_lettered";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>
    /// Reads the trace context a record carries (<see cref="TraceParentHeader"/>, <see cref="TraceStateHeader"/>);
    /// false when it has none or it is malformed.
    /// </summary>
    public static bool TryExtract(RecordHeaders headers, out ActivityContext context)
    {
        context = default;
        ReadOnlySpan<byte> parent;
        bool isNull;
        try
        {
            if (!headers.TryGetLast(TraceParentHeader, out parent, out isNull) || isNull || !TryParseTraceParent(parent, out ActivityTraceId traceId, out ActivitySpanId spanId, out ActivityTraceFlags flags))
            {
                return false;
            }

            // The trace state is rare; only then is a string allocated.
            context = new ActivityContext(traceId, spanId, flags, headers.GetLastString(TraceStateHeader), isRemote: true);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Parses a W3C <c>traceparent</c> (<c>{version:2}-{trace-id:32}-{parent-id:16}-{flags:2}</c>, lowercase hex) from
    /// the header bytes (no intermediate string; the ids keep their hex text, as <see cref="ActivityTraceId"/> does). Version ff, all-zero ids and, for version 00, trailing data are invalid; later versions may append fields.
    /// </summary>
    internal static bool TryParseTraceParent(ReadOnlySpan<byte> value, out ActivityTraceId traceId, out ActivitySpanId spanId, out ActivityTraceFlags flags)
    {
        traceId = default;
        spanId = default;
        flags = default;
        if (value.Length < 55 || value[2] != (byte)'-' || value[35] != (byte)'-' || value[52] != (byte)'-'
            || !IsLowerHex(value[..2]) || !IsLowerHex(value.Slice(3, 32)) || !IsLowerHex(value.Slice(36, 16)) || !IsLowerHex(value.Slice(53, 2)))
        {
            return false;
        }

        bool version00 = value[0] == (byte)'0' && value[1] == (byte)'0';
        if ((value[0] == (byte)'f' && value[1] == (byte)'f') || (version00 && value.Length != 55) || (!version00 && value.Length > 55 && value[55] != (byte)'-'))
        {
            return false;
        }

        ReadOnlySpan<byte> trace = value.Slice(3, 32);
        ReadOnlySpan<byte> span = value.Slice(36, 16);
        if (!trace.ContainsAnyExcept((byte)'0') || !span.ContainsAnyExcept((byte)'0'))
        {
            return false;
        }

        traceId = ActivityTraceId.CreateFromUtf8String(trace);
        spanId = ActivitySpanId.CreateFromUtf8String(span);
        flags = (ActivityTraceFlags)(HexValue(value[53]) * 16 + HexValue(value[54]) & 1);
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<byte> text)
    {
        foreach (byte c in text)
        {
            if (c is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static int HexValue(byte c) => c <= (byte)'9' ? c - '0' : c - 'a' + 10;

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="target"/> without any trace context headers, then adds
    /// <paramref name="activity"/>'s context (when not null). Malformed source headers are dropped.
    /// </summary>
    public static void WriteHeaders(RecordHeaders source, Activity? activity, RecordHeadersWriter target)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            foreach (RecordHeader header in source)
            {
                if (header.Key.SequenceEqual("traceparent"u8) || header.Key.SequenceEqual("tracestate"u8))
                {
                    continue;
                }

                if (header.ValueIsNull)
                {
                    target.Add(header.KeyString, (string?)null);
                }
                else
                {
                    target.Add(header.KeyString, header.Value);
                }
            }
        }
        catch (FormatException)
        {
            target.Reset();
        }

        if (activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            target.Add(TraceParentHeader, id);
            if (activity.TraceStateString is { } state)
            {
                target.Add(TraceStateHeader, state);
            }
        }
    }

    /// <summary>Starts a "send {topic}" span; <paramref name="name"/> is that text (callers cache it per topic).</summary>
    internal static Activity? StartSend(string name, string topic, ReadOnlySpan<byte> key, bool keyIsNull, int partition)
    {
        Activity? activity = Source.StartActivity(name, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MessagingSystem, "kafka");
            activity.SetTag(MessagingOperationName, "send");
            activity.SetTag(MessagingOperationType, "send");
            activity.SetTag(MessagingDestinationName, topic);
            if (partition >= 0)
            {
                activity.SetTag(MessagingPartition, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            SetKey(activity, key, keyIsNull);
        }

        return activity;
    }

    internal static void SetKey(Activity activity, ReadOnlySpan<byte> key, bool keyIsNull)
    {
        if (!keyIsNull && System.Text.Unicode.Utf8.IsValid(key))
        {
            activity.SetTag(MessagingKafkaKey, Encoding.UTF8.GetString(key));
        }
    }
}
