using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Kappa.Avro;

/// <summary>Writes Avro binary encoding into an <see cref="IBufferWriter{T}"/>. Call <see cref="Flush"/> when done.</summary>
public ref partial struct AvroWriter
{
    private const long UnixEpochTicks = 621355968000000000L;
    private const int UnixEpochDayNumber = 719162;
    private const int MaxDecimalPrecision = 38;

    private static readonly UInt128[] PowersOf10 = CreatePowersOf10();

    /// <summary>How deep records may nest inside one value (a deeper graph is almost always a cycle).</summary>
    public const int MaxDepth = 64;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private int _committed;
    private int _depth;

    public AvroWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = default;
        _buffered = 0;
        _committed = 0;
        _depth = 0;
    }

    /// <summary>Bytes written so far (committed and buffered).</summary>
    internal readonly int Position => _committed + _buffered;

    /// <summary>Called by generated code before encoding a nested record; fails beyond <see cref="MaxDepth"/> levels.</summary>
    public void EnterRecord(string typeName, string fieldName)
    {
        if (++_depth > MaxDepth)
        {
            throw new AvroEncodeException(typeName, fieldName, $"records nested more than {MaxDepth} levels deep (is the object graph cyclic?)");
        }
    }

    /// <summary>Called by generated code after encoding a nested record.</summary>
    public void ExitRecord() => _depth--;

    public void WriteBoolean(bool value)
    {
        Ensure(1);
        _span[_buffered++] = value ? (byte)1 : (byte)0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt(int value) => WriteLong(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteLong(long value)
    {
        Ensure(10);
        ulong v = (ulong)((value << 1) ^ (value >> 63));
        Span<byte> span = _span;
        int i = _buffered;
        while (v >= 0x80)
        {
            span[i++] = (byte)(v | 0x80);
            v >>= 7;
        }

        span[i++] = (byte)v;
        _buffered = i;
    }

    public void WriteFloat(float value)
    {
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_span[_buffered..], value);
        _buffered += 4;
    }

    public void WriteDouble(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_span[_buffered..], value);
        _buffered += 8;
    }

    public void WriteString(string value)
    {
        if (value.Length <= 1024)
        {
            // Worst case 3 bytes per UTF-16 unit; one pass, then the varint length is placed in front.
            int max = value.Length * 3;
            Ensure(max + 2);
            int prefix = max < 64 ? 1 : 2;
            int count = Encoding.UTF8.GetBytes(value, _span[(_buffered + prefix)..]);
            int needed = count < 64 ? 1 : 2;
            if (needed != prefix)
            {
                _span.Slice(_buffered + prefix, count).CopyTo(_span[(_buffered + needed)..]);
            }

            WriteLong(count);
            _buffered += count;
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        WriteLong(length);
        Ensure(length);
        _buffered += Encoding.UTF8.GetBytes(value, _span[_buffered..]);
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        WriteFixed(value);
    }

    public void WriteFixed(scoped ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_span[_buffered..]);
        _buffered += value.Length;
    }

    /// <summary>
    /// Writes <paramref name="value"/> as Avro's <c>decimal</c> logical type on bytes (two's-complement big-endian unscaled
    /// value at <paramref name="scale"/>). Returns false, writing nothing, when the value has more fractional digits than
    /// <paramref name="scale"/> or more digits than <paramref name="precision"/>: values are never rounded.
    /// </summary>
    public bool TryWriteDecimal(decimal value, int precision, int scale)
    {
        if (precision < 1 || precision > MaxDecimalPrecision || scale < 0 || scale > precision)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), $"decimal({precision},{scale}) is not a valid Avro decimal here (precision 1-38, scale 0-precision)");
        }

        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        bool negative = bits[3] < 0;
        int s = (bits[3] >> 16) & 0xFF;
        if (bits[2] == 0 && s <= scale && precision <= 18)
        {
            // Fast path: the unscaled value fits in a long (precision <= 18 digits), no 128-bit arithmetic.
            ulong small = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
            ulong factor64 = (ulong)PowersOf10[scale - s];
            if (small > ulong.MaxValue / factor64)
            {
                return false;
            }

            small *= factor64;
            if (small >= (ulong)PowersOf10[precision])
            {
                return false;
            }

            WriteUnscaled(negative ? -(long)small : (long)small);
            return true;
        }

        UInt128 magnitude = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        while (s > scale)
        {
            if (magnitude % 10 != 0)
            {
                return false;
            }

            magnitude /= 10;
            s--;
        }

        if (s < scale)
        {
            UInt128 factor = PowersOf10[scale - s];
            if (magnitude > UInt128.MaxValue / factor)
            {
                return false;
            }

            magnitude *= factor;
        }

        if (magnitude >= PowersOf10[precision])
        {
            return false;
        }

        Int128 unscaled = negative ? -(Int128)magnitude : (Int128)magnitude;
        Span<byte> buffer = stackalloc byte[16];
        BinaryPrimitives.WriteInt128BigEndian(buffer, unscaled);
        int first = 0;
        while (first < 15)
        {
            byte b = buffer[first];
            bool nextNegative = (buffer[first + 1] & 0x80) != 0;
            if ((b == 0x00 && !nextNegative) || (b == 0xFF && nextNegative))
            {
                first++;
            }
            else
            {
                break;
            }
        }

        WriteBytes(buffer[first..]);
        return true;
    }

    /// <summary>Writes a long as a length-prefixed minimal two's-complement big-endian byte string.</summary>
    private void WriteUnscaled(long value)
    {
        int bits = 65 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(value ^ (value >> 63)));
        int count = (bits + 7) >> 3;
        Ensure(9);
        Span<byte> span = _span;
        int i = _buffered;
        span[i++] = (byte)(count << 1); // zig-zag varint of count (1-8) is one byte
        for (int shift = (count - 1) * 8; shift >= 0; shift -= 8)
        {
            span[i++] = (byte)(value >> shift);
        }

        _buffered = i;
    }

    /// <summary>Writes <c>timestamp-millis</c>; sub-millisecond ticks are dropped (floor), like Java's toEpochMilli.</summary>
    public void WriteTimestampMillis(DateTimeOffset value) => WriteLong(FloorDiv(value.UtcTicks - UnixEpochTicks, 10_000));

    /// <summary>Writes <c>timestamp-micros</c>; the 100 ns remainder is dropped (floor).</summary>
    public void WriteTimestampMicros(DateTimeOffset value) => WriteLong(FloorDiv(value.UtcTicks - UnixEpochTicks, 10));

    /// <summary>Writes <c>timestamp-millis</c> from a <see cref="DateTime"/>: Utc as is, Local converted to UTC, Unspecified taken as UTC.</summary>
    public void WriteTimestampMillis(DateTime value) => WriteLong(FloorDiv(UtcTicks(value) - UnixEpochTicks, 10_000));

    /// <summary>Writes <c>timestamp-micros</c> from a <see cref="DateTime"/>: Utc as is, Local converted to UTC, Unspecified taken as UTC.</summary>
    public void WriteTimestampMicros(DateTime value) => WriteLong(FloorDiv(UtcTicks(value) - UnixEpochTicks, 10));

    /// <summary>Writes the <c>date</c> logical type (days since 1970-01-01).</summary>
    public void WriteDate(DateOnly value) => WriteInt(value.DayNumber - UnixEpochDayNumber);

    /// <summary>Writes the <c>uuid</c> logical type: the lowercase 8-4-4-4-12 string.</summary>
    public void WriteUuid(Guid value)
    {
        Ensure(37);
        _span[_buffered++] = 72; // zig-zag varint of the length 36
        value.TryFormat(_span.Slice(_buffered, 36), out int written, "D");
        _buffered += written;
    }

    /// <summary>Commits buffered bytes to the output.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _committed += _buffered;
            _buffered = 0;
            _span = default;
        }
    }

    private static long UtcTicks(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks;

    private static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b) < 0 ? q - 1 : q;
    }

    private static UInt128[] CreatePowersOf10()
    {
        var powers = new UInt128[MaxDecimalPrecision + 1];
        powers[0] = 1;
        for (int i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Grow(size);
        }
    }

    private void Grow(int size)
    {
        Flush();
        _span = _output.GetSpan(Math.Max(size, 256));
    }
}
