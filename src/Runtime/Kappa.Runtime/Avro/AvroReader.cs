using System.Buffers.Binary;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace Kappa.Avro;

/// <summary>
/// Reads Avro binary encoding from a span. Every failure is an <see cref="AvroDecodeException"/> naming the type, the field
/// being read (generated code sets <see cref="TypeName"/> and <see cref="Field"/>) and the byte offset.
/// </summary>
public ref partial struct AvroReader
{
    /// <summary>Upper bound on the items of one array or map whose items take no bytes (records without fields).</summary>
    public const int MaxZeroSizeItems = 1 << 20;

    private const long UnixEpochTicks = 621355968000000000L;
    private const int UnixEpochDayNumber = 719162;

    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>How deep records may nest inside one value before decoding stops (protects the stack from hostile input).</summary>
    public const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _depth;

    public AvroReader(ReadOnlySpan<byte> data, string typeName)
    {
        _data = data;
        _position = 0;
        TypeName = typeName;
        Field = null;
        _depth = 0;
    }

    /// <summary>The record type being decoded (for error messages).</summary>
    public string TypeName { get; set; }

    /// <summary>The field being decoded (for error messages).</summary>
    public string? Field { get; set; }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public bool ReadBoolean()
    {
        int pos = _position;
        if ((uint)pos >= (uint)_data.Length)
        {
            throw Fail(pos, "input ends inside a boolean");
        }

        byte b = _data[pos];
        if (b > 1)
        {
            throw Fail(pos, $"boolean byte must be 0 or 1, found {b}");
        }

        _position = pos + 1;
        return b != 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt()
    {
        int pos = _position;
        if ((uint)pos < (uint)_data.Length)
        {
            uint b = _data[pos];
            if (b < 0x80)
            {
                _position = pos + 1;
                return (int)(b >> 1) ^ -(int)(b & 1);
            }
        }

        return ReadIntSlow();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadLong()
    {
        int pos = _position;
        if ((uint)pos < (uint)_data.Length)
        {
            uint b = _data[pos];
            if (b < 0x80)
            {
                _position = pos + 1;
                return (long)(b >> 1) ^ -(long)(b & 1);
            }
        }

        return ReadLongSlow();
    }

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(ReadFixedSpan(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(ReadFixedSpan(8));

    public string ReadString()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytesSpan();
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        try
        {
            return Utf8Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Fail(start, "string is not valid UTF-8");
        }
    }

    public byte[] ReadBytes() => ReadBytesSpan().ToArray();

    /// <summary>Reads a length-prefixed byte sequence as a slice of the input (no copy).</summary>
    public ReadOnlySpan<byte> ReadBytesSpan()
    {
        int start = _position;
        long length = ReadLong();
        if (length < 0)
        {
            throw Fail(start, $"negative length {length}");
        }

        if (length > Remaining)
        {
            throw Fail(start, $"length {length} exceeds the {Remaining} bytes left");
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    public ReadOnlySpan<byte> ReadFixedSpan(int size)
    {
        if (size > Remaining)
        {
            throw Fail(_position, $"needs {size} bytes, {Remaining} left");
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, size);
        _position += size;
        return slice;
    }

    /// <summary>Reads a union branch index and checks it is below <paramref name="branchCount"/>.</summary>
    public int ReadUnionIndex(int branchCount)
    {
        int start = _position;
        long index = ReadLong();
        if (index < 0 || index >= branchCount)
        {
            throw Fail(start, $"union branch {index} out of range (the union has {branchCount} branches)");
        }

        return (int)index;
    }

    /// <summary>Reads an enum symbol index and checks it is below <paramref name="symbolCount"/>.</summary>
    public int ReadEnumIndex(int symbolCount)
    {
        int start = _position;
        int index = ReadInt();
        if (index < 0 || index >= symbolCount)
        {
            throw Fail(start, $"enum symbol index {index} out of range (the enum has {symbolCount} symbols)");
        }

        return index;
    }

    /// <summary>
    /// Reads the item count of the next array or map block (0 ends the sequence). A negative count is followed by the
    /// block's byte size, per the spec. The count is checked against the bytes left (each item needs at least
    /// <paramref name="minItemSize"/> bytes) and, with <paramref name="itemsSoFar"/>, against the largest collection .NET holds.
    /// </summary>
    public int ReadBlockCount(int minItemSize, int itemsSoFar)
    {
        int start = _position;
        long count = ReadLong();
        if (count == 0)
        {
            return 0;
        }

        if (count < 0)
        {
            if (count == long.MinValue)
            {
                throw Fail(start, "block count out of range");
            }

            count = -count;
            int sizeStart = _position;
            long size = ReadLong();
            if (size < 0 || size > Remaining)
            {
                throw Fail(sizeStart, $"block byte size {size} invalid ({Remaining} bytes left)");
            }
        }

        long limit = minItemSize > 0 ? Remaining / minItemSize : MaxZeroSizeItems;
        if (count > limit)
        {
            throw Fail(start, $"block count {count} is larger than the {Remaining} bytes left can hold");
        }

        if (count + itemsSoFar > Array.MaxLength || (minItemSize == 0 && count + itemsSoFar > MaxZeroSizeItems))
        {
            throw Fail(start, $"collection of {count + itemsSoFar} items is too large");
        }

        return (int)count;
    }

    /// <summary>Reads a <c>decimal</c> logical value (two's-complement big-endian unscaled bytes) with the schema's scale.</summary>
    public decimal ReadDecimal(int scale)
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytesSpan();
        if (bytes.IsEmpty)
        {
            throw Fail(start, "decimal has no bytes (an unscaled value needs at least one)");
        }

        bool negative = (bytes[0] & 0x80) != 0;
        if (bytes.Length <= 8 && scale <= 28)
        {
            // Fast path: the unscaled value fits in a long.
            long v = negative ? -1L : 0L;
            foreach (byte b in bytes)
            {
                v = (v << 8) | b;
            }

            ulong m = negative ? (ulong)(-(v + 1)) + 1 : (ulong)v;
            return new decimal((int)(uint)m, (int)(uint)(m >> 32), 0, negative, (byte)scale);
        }

        byte fill = negative ? (byte)0xFF : (byte)0x00;
        while (bytes.Length > 16)
        {
            if (bytes[0] != fill || ((bytes[1] & 0x80) != 0) != negative)
            {
                throw Fail(start, $"decimal unscaled value of {bytes.Length} bytes does not fit System.Decimal");
            }

            bytes = bytes[1..];
        }

        Span<byte> buffer = stackalloc byte[16];
        buffer.Fill(fill);
        bytes.CopyTo(buffer[(16 - bytes.Length)..]);
        Int128 unscaled = BinaryPrimitives.ReadInt128BigEndian(buffer);
        UInt128 magnitude = negative ? (UInt128)(-(unscaled + 1)) + 1 : (UInt128)unscaled;
        int s = scale;
        UInt128 max96 = ((UInt128)1 << 96) - 1;
        while ((magnitude > max96 || s > 28) && s > 0 && magnitude % 10 == 0)
        {
            magnitude /= 10;
            s--;
        }

        if (magnitude > max96 || s > 28)
        {
            throw Fail(start, $"decimal value with scale {scale} does not fit System.Decimal (96-bit unscaled value, scale at most 28)");
        }

        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, (byte)s);
    }

    /// <summary>Reads <c>timestamp-millis</c> as a UTC <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset ReadTimestampMillis() => new(ReadTimestampTicks(10_000, "timestamp-millis"), TimeSpan.Zero);

    /// <summary>Reads <c>timestamp-micros</c> as a UTC <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset ReadTimestampMicros() => new(ReadTimestampTicks(10, "timestamp-micros"), TimeSpan.Zero);

    /// <summary>Reads <c>timestamp-millis</c> as a <see cref="DateTime"/> of kind <see cref="DateTimeKind.Utc"/>.</summary>
    public DateTime ReadDateTimeMillis() => new(ReadTimestampTicks(10_000, "timestamp-millis"), DateTimeKind.Utc);

    /// <summary>Reads <c>timestamp-micros</c> as a <see cref="DateTime"/> of kind <see cref="DateTimeKind.Utc"/>.</summary>
    public DateTime ReadDateTimeMicros() => new(ReadTimestampTicks(10, "timestamp-micros"), DateTimeKind.Utc);

    /// <summary>Reads the <c>date</c> logical type (days since 1970-01-01).</summary>
    public DateOnly ReadDate()
    {
        int start = _position;
        int days = ReadInt();
        long dayNumber = (long)days + UnixEpochDayNumber;
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            throw Fail(start, $"date {days} days from 1970-01-01 is outside the years 1-9999");
        }

        return DateOnly.FromDayNumber((int)dayNumber);
    }

    /// <summary>Reads the <c>uuid</c> logical type (a string in the 8-4-4-4-12 hex form).</summary>
    public Guid ReadUuid()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytesSpan();
        if (bytes.Length != 36 || !Utf8Parser.TryParse(bytes, out Guid value, out int consumed, 'D') || consumed != 36)
        {
            throw Fail(start, "uuid is not a 36-character 8-4-4-4-12 hex string");
        }

        return value;
    }

    /// <summary>Called by generated code before decoding a nested record; fails beyond <see cref="MaxDepth"/> levels.</summary>
    public void EnterRecord()
    {
        if (++_depth > MaxDepth)
        {
            throw Fail(_position, $"records nested more than {MaxDepth} levels deep");
        }
    }

    /// <summary>Called by generated code after decoding a nested record.</summary>
    public void ExitRecord() => _depth--;

    /// <summary>Moves to <paramref name="position"/> (schema resolution reads writer fields out of order).</summary>
    internal void Seek(int position) => _position = position;

    /// <summary>The input from <paramref name="start"/> up to the current position (bytes already read, no copy).</summary>
    internal readonly ReadOnlySpan<byte> ReadSince(int start) => _data[start.._position];

    /// <summary>Throws unless all input was consumed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void EnsureEnd()
    {
        if (_position != _data.Length)
        {
            ThrowTrailingBytes();
        }
    }

    /// <summary>Creates the exception for a failure at <paramref name="offset"/> in the current field.</summary>
    public readonly AvroDecodeException Fail(int offset, string reason) => new(TypeName, Field, offset, reason);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTrailingBytes() =>
        throw new AvroDecodeException(TypeName, null, _position, $"{_data.Length - _position} unexpected bytes after the end of the value");

    private long ReadTimestampTicks(long ticksPerUnit, string logicalType)
    {
        int start = _position;
        long units = ReadLong();
        long min = (DateTime.MinValue.Ticks - UnixEpochTicks) / ticksPerUnit;
        long max = (DateTime.MaxValue.Ticks - UnixEpochTicks) / ticksPerUnit;
        if (units < min || units > max)
        {
            throw Fail(start, $"{logicalType} value {units} is outside the years 1-9999");
        }

        return (units * ticksPerUnit) + UnixEpochTicks;
    }

    private int ReadIntSlow()
    {
        int start = _position;
        ReadOnlySpan<byte> data = _data[start..];
        int n = Math.Min(data.Length, 5);
        ulong result = 0;
        for (int i = 0; i < n; i++)
        {
            uint b = data[i];
            result |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                _position = start + i + 1;
                if (result > uint.MaxValue)
                {
                    throw Fail(start, "int value out of range");
                }

                uint u = (uint)result;
                return (int)(u >> 1) ^ -(int)(u & 1);
            }
        }

        throw Fail(start, data.Length <= 5 ? "input ends inside an int" : "int varint longer than 5 bytes");
    }

    private long ReadLongSlow()
    {
        int start = _position;
        ReadOnlySpan<byte> data = _data[start..];
        int n = Math.Min(data.Length, 10);
        ulong result = 0;
        for (int i = 0; i < n; i++)
        {
            uint b = data[i];
            result |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                if (i == 9 && b > 1)
                {
                    throw Fail(start, "long value out of range");
                }

                _position = start + i + 1;
                return (long)(result >> 1) ^ -(long)(result & 1);
            }
        }

        // Ten bytes that all continue: the tenth may only hold the top bit of the value.
        throw Fail(start, data.Length < 10 ? "input ends inside a long" : "long value out of range");
    }
}
