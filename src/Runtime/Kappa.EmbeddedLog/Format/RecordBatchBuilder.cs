using System.Buffers;
using System.Buffers.Binary;
using Kappa.Buffers;

namespace Kappa.Log.Format;

/// <summary>
/// Builds one uncompressed record batch v2 into a reusable buffer. Records get consecutive offset deltas unless
/// given explicitly (compaction keeps original deltas). The base offset is left 0 and set by the log on append.
/// </summary>
public sealed class RecordBatchBuilder : IDisposable
{
    private byte[] _buffer;
    private int _length;
    private int _count;
    private int _lastOffsetDelta = -1;
    private long _baseTimestamp;
    private long _maxTimestamp;
    private bool _finished;

    public RecordBatchBuilder(int initialCapacity = 64 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, RecordBatch.HeaderSize + 64));
        Reset();
    }

    /// <summary>Producer id written into the header (-1: none, as non-idempotent Kafka producers write).</summary>
    public long ProducerId { get; set; } = -1;

    public short ProducerEpoch { get; set; } = -1;

    public int BaseSequence { get; set; } = -1;

    public short Attributes { get; set; }

    public int PartitionLeaderEpoch { get; set; } = -1;

    public int Count => _count;

    /// <summary>Bytes the batch takes so far (header included).</summary>
    public int SizeInBytes => _length;

    public long MaxTimestamp => _maxTimestamp;

    public void Reset()
    {
        _length = RecordBatch.HeaderSize;
        _count = 0;
        _lastOffsetDelta = -1;
        _baseTimestamp = 0;
        _maxTimestamp = -1;
        _finished = false;
        ProducerId = -1;
        ProducerEpoch = -1;
        BaseSequence = -1;
        Attributes = 0;
        PartitionLeaderEpoch = -1;
    }

    /// <summary>Appends a record with the next offset delta.</summary>
    public void Append(long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, ReadOnlySpan<byte> encodedHeaders) =>
        Append(_lastOffsetDelta + 1, timestampMs, key, keyIsNull, value, valueIsNull, encodedHeaders);

    /// <summary>Appends a record with an explicit offset delta (strictly greater than the previous one).</summary>
    public void Append(int offsetDelta, long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, ReadOnlySpan<byte> encodedHeaders)
    {
        if (_finished)
        {
            throw new InvalidOperationException("The batch is finished; call Reset before appending again.");
        }

        if (offsetDelta <= _lastOffsetDelta)
        {
            throw new ArgumentOutOfRangeException(nameof(offsetDelta), offsetDelta, $"Offset deltas must increase; the previous record had {_lastOffsetDelta}.");
        }

        if (timestampMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(timestampMs), timestampMs, "Record timestamps must be milliseconds since the Unix epoch (>= 0).");
        }

        if (_count == 0)
        {
            _baseTimestamp = timestampMs;
        }

        if (timestampMs > _maxTimestamp)
        {
            _maxTimestamp = timestampMs;
        }

        long timestampDelta = timestampMs - _baseTimestamp;
        int keyLength = keyIsNull ? -1 : key.Length;
        int valueLength = valueIsNull ? -1 : value.Length;
        bool noHeaders = encodedHeaders.IsEmpty;
        int bodySize = 1 + Varint.SizeOf(timestampDelta) + Varint.SizeOf(offsetDelta)
            + Varint.SizeOf(keyLength) + Math.Max(0, keyLength)
            + Varint.SizeOf(valueLength) + Math.Max(0, valueLength)
            + (noHeaders ? 1 : encodedHeaders.Length);
        int total = Varint.SizeOf(bodySize) + bodySize;
        if ((long)_length + total > RecordBatch.MaxBatchSize)
        {
            throw new ArgumentException($"The batch would exceed {RecordBatch.MaxBatchSize} bytes; the record of {total} bytes does not fit.");
        }

        EnsureCapacity(_length + total);
        Span<byte> s = _buffer.AsSpan(_length, total);
        int p = Varint.Write(s, bodySize);
        s[p++] = 0;
        p += Varint.Write(s[p..], timestampDelta);
        p += Varint.Write(s[p..], offsetDelta);
        p += Varint.Write(s[p..], keyLength);
        if (keyLength > 0)
        {
            key.CopyTo(s[p..]);
            p += keyLength;
        }

        p += Varint.Write(s[p..], valueLength);
        if (valueLength > 0)
        {
            value.CopyTo(s[p..]);
            p += valueLength;
        }

        if (noHeaders)
        {
            s[p] = 0;
        }
        else
        {
            encodedHeaders.CopyTo(s[p..]);
        }

        _length += total;
        _count++;
        _lastOffsetDelta = offsetDelta;
    }

    /// <summary>
    /// Writes the header and CRC and returns the finished batch (valid until the next <see cref="Reset"/>).
    /// <paramref name="lastOffsetDelta"/> can be raised above the last record's delta (compaction keeps a batch's original span).
    /// </summary>
    public Span<byte> Finish(int lastOffsetDelta = -1)
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("A record batch needs at least one record.");
        }

        int last = Math.Max(lastOffsetDelta, _lastOffsetDelta);
        Span<byte> b = _buffer.AsSpan(0, _length);
        BinaryPrimitives.WriteInt64BigEndian(b, 0);
        BinaryPrimitives.WriteInt32BigEndian(b[RecordBatch.BatchLengthOffset..], _length - RecordBatch.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(b[RecordBatch.PartitionLeaderEpochOffset..], PartitionLeaderEpoch);
        b[RecordBatch.MagicOffset] = RecordBatch.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(b[RecordBatch.AttributesOffset..], Attributes);
        BinaryPrimitives.WriteInt32BigEndian(b[RecordBatch.LastOffsetDeltaOffset..], last);
        BinaryPrimitives.WriteInt64BigEndian(b[RecordBatch.BaseTimestampOffset..], _baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(b[RecordBatch.MaxTimestampOffset..], _maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(b[RecordBatch.ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(b[RecordBatch.ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(b[RecordBatch.BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(b[RecordBatch.RecordsCountOffset..], _count);
        BinaryPrimitives.WriteUInt32BigEndian(b[RecordBatch.CrcOffset..], Crc32C.Compute(b[RecordBatch.AttributesOffset..]));
        _finished = true;
        return b;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        byte[] next = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
