using Kappa.Buffers;

namespace Kappa.Log.Format;

/// <summary>
/// Walks the records of one uncompressed batch v2 without allocating. The batch must have been validated
/// (<see cref="RecordBatch.Validate"/>); malformed record framing still raises a <see cref="FormatException"/> naming the record.
/// </summary>
public ref struct BatchRecordReader
{
    private readonly ReadOnlySpan<byte> _batch;
    private readonly long _baseOffset;
    private readonly long _baseTimestamp;
    private int _position;
    private int _remaining;
    private int _index;

    public BatchRecordReader(ReadOnlySpan<byte> batch)
    {
        RecordBatchHeader header = RecordBatch.ReadHeader(batch);
        _batch = batch[..Math.Min(batch.Length, header.TotalSize)];
        _baseOffset = header.BaseOffset;
        _baseTimestamp = header.BaseTimestamp;
        _position = RecordBatch.HeaderSize;
        _remaining = header.RecordCount;
        _index = 0;
    }

    /// <summary>Resumes walking a batch at a record boundary (see <see cref="Position"/> and <see cref="Remaining"/>).</summary>
    public BatchRecordReader(ReadOnlySpan<byte> batch, int position, int remaining, long baseOffset, long baseTimestamp)
    {
        _batch = batch;
        _baseOffset = baseOffset;
        _baseTimestamp = baseTimestamp;
        _position = position;
        _remaining = remaining;
        _index = 0;
    }

    /// <summary>Byte position of the next record in the batch.</summary>
    public readonly int Position => _position;

    /// <summary>Records not read yet.</summary>
    public readonly int Remaining => _remaining;

    /// <summary>Reads the next record; false after the last one.</summary>
    public bool TryRead(out BatchRecord record)
    {
        if (_remaining <= 0)
        {
            record = default;
            return false;
        }

        _remaining--;
        int length = ReadVarint32();
        int start = _position;
        if (length < 0 || length > _batch.Length - start)
        {
            throw Malformed($"record length {length} exceeds the {_batch.Length - start} bytes left");
        }

        int end = start + length;
        _position++; // attributes (unused in v2)
        long timestampDelta = ReadVarint64();
        int offsetDelta = ReadVarint32();
        int keyLength = ReadVarint32();
        ReadOnlySpan<byte> key = default;
        if (keyLength >= 0)
        {
            key = Slice(keyLength, end, "key");
        }
        else if (keyLength != -1)
        {
            throw Malformed($"key length {keyLength}");
        }

        int valueLength = ReadVarint32();
        ReadOnlySpan<byte> value = default;
        if (valueLength >= 0)
        {
            value = Slice(valueLength, end, "value");
        }
        else if (valueLength != -1)
        {
            throw Malformed($"value length {valueLength}");
        }

        if (_position > end)
        {
            throw Malformed("fields run past the record length");
        }

        ReadOnlySpan<byte> headers = _batch[_position..end];
        if (headers.IsEmpty)
        {
            throw Malformed("header count missing");
        }

        _position = end;
        _index++;
        record = new BatchRecord(_baseOffset + offsetDelta, _baseTimestamp + timestampDelta, key, keyLength < 0, value, valueLength < 0, headers);
        return true;
    }

    private ReadOnlySpan<byte> Slice(int length, int end, string what)
    {
        if (length > end - _position)
        {
            throw Malformed($"{what} length {length} exceeds the record");
        }

        ReadOnlySpan<byte> s = _batch.Slice(_position, length);
        _position += length;
        return s;
    }

    private int ReadVarint32()
    {
        if ((uint)_position < (uint)_batch.Length)
        {
            byte first = _batch[_position];
            if (first < 0x80)
            {
                _position++;
                return (first >> 1) ^ -(first & 1);
            }
        }

        int n = Varint.TryRead(_batch[_position..], out long v, Varint.MaxLength32);
        if (n <= 0 || v > int.MaxValue || v < int.MinValue)
        {
            throw Malformed("bad varint");
        }

        _position += n;
        return (int)v;
    }

    private long ReadVarint64()
    {
        if ((uint)_position < (uint)_batch.Length)
        {
            byte first = _batch[_position];
            if (first < 0x80)
            {
                _position++;
                return (first >> 1) ^ -(first & 1);
            }
        }

        int n = Varint.TryRead(_batch[_position..], out long v, Varint.MaxLength64);
        if (n <= 0)
        {
            throw Malformed("bad varlong");
        }

        _position += n;
        return v;
    }

    private readonly FormatException Malformed(string why) =>
        new($"Record {_index} of the batch at base offset {_baseOffset}: {why} (byte {_position} of {_batch.Length}).");
}
