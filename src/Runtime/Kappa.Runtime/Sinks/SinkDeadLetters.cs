using System.Globalization;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Sinks;

/// <summary>
/// Dead letters of one sink batch, held until the batch commits: records consumed but not written (undecodable, a
/// tombstone with nothing to delete) and rows the database refused. Each keeps its key, value, timestamp and headers;
/// the <see cref="DeadLetterHeaders"/> follow the original headers. Produced and flushed inside the batch's transaction,
/// just before it commits, so a dead letter is never lost; a crash between the flush and the commit repeats it (dead
/// letters are at-least-once: their <see cref="DeadLetterHeaders.Topic"/>/<see cref="DeadLetterHeaders.Partition"/>/<see cref="DeadLetterHeaders.Offset"/> identify duplicates).
/// </summary>
internal sealed class SinkDeadLetters
{
    private readonly SinkTarget _target;
    private readonly List<Entry> _entries = new();
    private readonly RecordHeadersWriter _headers = new();
    private byte[] _arena = new byte[4096];
    private int _used;

    public SinkDeadLetters(SinkTarget target)
    {
        _target = target;
    }

    public int Count => _entries.Count;

    public void Clear()
    {
        _entries.Clear();
        _used = 0;
    }

    public void Add(in ConsumedRecord record, string reason, string message, string code, string exceptionType) =>
        Add(record.Partition, record.Offset, record.TimestampMs, record.Key, record.KeyIsNull, record.Value, record.ValueIsNull, record.Headers.Encoded, reason, message, code, exceptionType);

    public void Add<T>(SinkBatch<T> batch, in SinkRejection rejection)
    {
        ref readonly SinkRow<T> row = ref batch[rejection.Row];
        Add(row.Partition, row.Offset, row.TimestampMs, batch.Key(rejection.Row), row.KeyIsNull, batch.RawValue(rejection.Row), row.IsTombstone, batch.RawHeaders(rejection.Row), DeadLetterHeaders.ReasonRefused, rejection.Message, rejection.Code, rejection.ExceptionType);
    }

    /// <summary>Produces every dead letter and waits until the transport acknowledged them all.</summary>
    public void ProduceAndFlush(IKappaProducer producer, CancellationToken cancellationToken)
    {
        foreach (Entry e in _entries)
        {
            _headers.Reset();
            if (e.HeadersLength > 0)
            {
                foreach (RecordHeader header in new RecordHeaders(_arena.AsSpan(e.HeadersStart, e.HeadersLength)))
                {
                    if (header.ValueIsNull)
                    {
                        _headers.Add(header.KeyString, (string?)null);
                    }
                    else
                    {
                        _headers.Add(header.KeyString, header.Value);
                    }
                }
            }

            _headers
                .Add(DeadLetterHeaders.Reason, e.Reason)
                .Add(DeadLetterHeaders.Error, e.Message)
                .Add(DeadLetterHeaders.ExceptionType, e.ExceptionType)
                .Add(DeadLetterHeaders.DatabaseCode, e.Code)
                .Add(DeadLetterHeaders.SinkTable, _target.Table)
                .Add(DeadLetterHeaders.Topic, _target.Topic)
                .Add(DeadLetterHeaders.Partition, e.Partition.ToString(CultureInfo.InvariantCulture))
                .Add(DeadLetterHeaders.Offset, e.Offset.ToString(CultureInfo.InvariantCulture))
                .Add(DeadLetterHeaders.Timestamp, e.TimestampMs.ToString(CultureInfo.InvariantCulture));
            producer.Produce(new OutgoingRecord(_target.DeadLetterTopic, _arena.AsSpan(e.KeyStart, e.KeyLength), _arena.AsSpan(e.ValueStart, e.ValueLength))
            {
                KeyIsNull = e.KeyIsNull,
                ValueIsNull = e.ValueIsNull,
                TimestampMs = e.TimestampMs,
                EncodedHeaders = _headers.Encoded,
            });
        }

        producer.Flush(cancellationToken);
    }

    private void Add(int partition, long offset, long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, ReadOnlySpan<byte> headers, string reason, string message, string code, string exceptionType)
    {
        _entries.Add(new Entry(partition, offset, timestampMs, Copy(key), key.Length, keyIsNull, Copy(value), value.Length, valueIsNull, Copy(headers), headers.Length, reason, message, code, exceptionType));
    }

    private int Copy(ReadOnlySpan<byte> data)
    {
        if (_used + data.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _used + data.Length));
        }

        int start = _used;
        data.CopyTo(_arena.AsSpan(start));
        _used += data.Length;
        return start;
    }

    private readonly record struct Entry(
        int Partition,
        long Offset,
        long TimestampMs,
        int KeyStart,
        int KeyLength,
        bool KeyIsNull,
        int ValueStart,
        int ValueLength,
        bool ValueIsNull,
        int HeadersStart,
        int HeadersLength,
        string Reason,
        string Message,
        string Code,
        string ExceptionType);
}
