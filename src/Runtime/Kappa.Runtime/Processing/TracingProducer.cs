using System.Diagnostics;
using Kappa.Transport;

namespace Kappa.Processing;

/// <summary>
/// Wraps any producer so each record is sent under a "send {topic}" span (a child of <see cref="Activity.Current"/>)
/// whose W3C context is written into the record's <c>traceparent</c>/<c>tracestate</c> headers (replacing any the record
/// had); the record's other headers are kept. With no listener on <see cref="KappaTracing.ActivitySourceName"/> records
/// pass through untouched. The runner sends outputs through one; wrap your own producers to start a trace at the source.
/// Thread-affine, like the producer it wraps.
/// </summary>
public sealed class TracingProducer : IKappaProducer
{
    private readonly RecordHeadersWriter _headers = new();
    private readonly Dictionary<string, string> _spanNames = new(StringComparer.Ordinal);
    private readonly bool _ownsInner;

    public TracingProducer(IKappaProducer inner, bool ownsInner = false)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _ownsInner = ownsInner;
    }

    public IKappaProducer Inner { get; internal set; }

    public void Produce(in OutgoingRecord record)
    {
        if (!KappaTracing.Source.HasListeners())
        {
            Inner.Produce(in record);
            return;
        }

        if (!_spanNames.TryGetValue(record.Topic, out string? name))
        {
            name = "send " + record.Topic;
            _spanNames[record.Topic] = name;
        }

        using Activity? activity = KappaTracing.StartSend(name, record.Topic, record.Key, record.KeyIsNull, record.Partition);
        _headers.Reset();
        KappaTracing.WriteHeaders(new RecordHeaders(record.EncodedHeaders), activity, _headers);
        Inner.Produce(new OutgoingRecord(record.Topic, record.Key, record.Value)
        {
            Partition = record.Partition,
            KeyIsNull = record.KeyIsNull,
            ValueIsNull = record.ValueIsNull,
            TimestampMs = record.TimestampMs,
            EncodedHeaders = _headers.Encoded,
        });
    }

    public void Flush(CancellationToken cancellationToken = default) => Inner.Flush(cancellationToken);

    public void Dispose()
    {
        if (_ownsInner)
        {
            Inner.Dispose();
        }
    }
}
