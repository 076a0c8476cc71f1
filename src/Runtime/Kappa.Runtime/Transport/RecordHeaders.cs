using System.Text;
using Kappa.Buffers;

namespace Kappa.Transport;

/// <summary>
/// Record headers as a view over Kafka's record v2 header encoding: a varint count, then per header a varint key length,
/// UTF-8 key, varint value length (-1 for null) and value. Both transports deliver headers in this form without allocating.
/// </summary>
public readonly ref struct RecordHeaders
{
    private readonly ReadOnlySpan<byte> _encoded;

    /// <param name="encoded">The encoding starting at the header count; an empty span means no headers.</param>
    public RecordHeaders(ReadOnlySpan<byte> encoded)
    {
        _encoded = encoded;
    }

    public static RecordHeaders Empty => default;

    public ReadOnlySpan<byte> Encoded => _encoded;

    public int Count
    {
        get
        {
            if (_encoded.IsEmpty)
            {
                return 0;
            }

            int n = Varint.TryRead(_encoded, out long count, Varint.MaxLength32);
            return n > 0 && count > 0 ? (int)count : 0;
        }
    }

    /// <summary>Finds the last header with this key (Kafka's lastHeader semantics).</summary>
    public bool TryGetLast(string key, out ReadOnlySpan<byte> value, out bool isNull)
    {
        value = default;
        isNull = false;
        bool found = false;
        Span<byte> keyBytes = key.Length <= 128 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        keyBytes = keyBytes[..Encoding.UTF8.GetBytes(key, keyBytes)];
        foreach (RecordHeader header in this)
        {
            if (header.Key.SequenceEqual(keyBytes))
            {
                value = header.Value;
                isNull = header.ValueIsNull;
                found = true;
            }
        }

        return found;
    }

    /// <summary>The last value of this header as UTF-8 text, or null when absent or null.</summary>
    public string? GetLastString(string key) =>
        TryGetLast(key, out ReadOnlySpan<byte> value, out bool isNull) && !isNull ? Encoding.UTF8.GetString(value) : null;

    public Enumerator GetEnumerator() => new(_encoded);

    /// <summary>Walks the headers; throws <see cref="FormatException"/> on a malformed encoding.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _encoded;
        private int _position;
        private long _remaining;

        internal Enumerator(ReadOnlySpan<byte> encoded)
        {
            _encoded = encoded;
            _position = 0;
            _remaining = 0;
            Current = default;
            if (!encoded.IsEmpty)
            {
                _remaining = ReadVarint(encoded, ref _position);
                if (_remaining < 0)
                {
                    throw new FormatException($"Record headers: negative header count {_remaining}.");
                }
            }
        }

        public RecordHeader Current { get; private set; }

        public bool MoveNext()
        {
            if (_remaining <= 0)
            {
                return false;
            }

            _remaining--;
            long keyLength = ReadVarint(_encoded, ref _position);
            if (keyLength < 0 || keyLength > _encoded.Length - _position)
            {
                throw new FormatException($"Record headers: key length {keyLength} at byte {_position} exceeds the {_encoded.Length - _position} bytes left.");
            }

            ReadOnlySpan<byte> headerKey = _encoded.Slice(_position, (int)keyLength);
            _position += (int)keyLength;
            long valueLength = ReadVarint(_encoded, ref _position);
            if (valueLength < -1 || valueLength > _encoded.Length - _position)
            {
                throw new FormatException($"Record headers: value length {valueLength} at byte {_position} exceeds the {_encoded.Length - _position} bytes left.");
            }

            ReadOnlySpan<byte> headerValue = valueLength < 0 ? default : _encoded.Slice(_position, (int)valueLength);
            _position += (int)Math.Max(0, valueLength);
            Current = new RecordHeader(headerKey, headerValue, valueLength < 0);
            return true;
        }

        private static long ReadVarint(ReadOnlySpan<byte> data, ref int position)
        {
            int n = Varint.TryRead(data[position..], out long value, Varint.MaxLength32);
            if (n <= 0)
            {
                throw new FormatException($"Record headers: truncated or overlong varint at byte {position}.");
            }

            position += n;
            return value;
        }
    }
}

/// <summary>One header: UTF-8 key and raw value.</summary>
public readonly ref struct RecordHeader
{
    public RecordHeader(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool valueIsNull)
    {
        Key = key;
        Value = value;
        ValueIsNull = valueIsNull;
    }

    public ReadOnlySpan<byte> Key { get; }

    public ReadOnlySpan<byte> Value { get; }

    public bool ValueIsNull { get; }

    public string KeyString => Encoding.UTF8.GetString(Key);
}
