using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Kappa.State;

/// <summary>
/// Writes the deterministic state format (docs/state.md) into an <see cref="IBufferWriter{T}"/>: little-endian fixed
/// widths, LEB128 varints (zig-zag for signed numbers), UTF-8 strings, normalized decimals. Call <see cref="Flush"/>
/// when done (the generated <c>Write</c> does).
/// </summary>
public ref struct StateWriter
{
    /// <summary>Element descriptor flag: every element is preceded by a presence byte (0 = null, 1 = value).</summary>
    public const byte ElementHasPresence = 0x08;

    /// <summary>Element descriptor flag: every element is preceded by a string key (dictionaries).</summary>
    public const byte ElementIsKeyed = 0x10;

    /// <summary>How deep nested states may go before the writer assumes a reference cycle.</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private int _depth;

    public StateWriter(IBufferWriter<byte> output)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _span = default;
        _buffered = 0;
        _depth = 0;
    }

    /// <summary>Bytes written so far that are not yet committed to the output.</summary>
    public readonly int Buffered => _buffered;

    /// <summary>Commits buffered bytes to the output.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
            _span = default;
        }
    }

    /// <summary>Writes the value header: format version, schema version, schema fingerprint.</summary>
    public void WriteHeader(int schemaVersion, uint schemaFingerprint)
    {
        WriteRawByte(StateHeader.CurrentFormatVersion);
        WriteVarint((uint)schemaVersion);
        Span<byte> s = Reserve(4);
        BinaryPrimitives.WriteUInt32LittleEndian(s, schemaFingerprint);
        _buffered += 4;
    }

    /// <summary>Writes a field tag: (field number &lt;&lt; 3) | wire type, as a varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteTag(int fieldNumber, StateWireType wireType)
    {
        if (fieldNumber <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fieldNumber), fieldNumber, "State field numbers start at 1.");
        }

        WriteVarint(((ulong)(uint)fieldNumber << 3) | (byte)wireType);
    }

    /// <summary>Writes a field whose value is null.</summary>
    public void WriteNull(int fieldNumber) => WriteTag(fieldNumber, StateWireType.Null);

    /// <summary>Starts a nested state (guards against reference cycles).</summary>
    public void EnterNested()
    {
        if (++_depth > MaxDepth)
        {
            throw new InvalidOperationException($"State nesting is deeper than {MaxDepth}; does the state graph contain a reference cycle?");
        }
    }

    /// <summary>Writes the end tag of a state's fields.</summary>
    public void WriteEnd()
    {
        WriteRawByte(0);
        _depth--;
    }

    /// <summary>Writes a sequence header: element count and element descriptor byte.</summary>
    public void WriteSequenceHeader(int count, byte elementDescriptor)
    {
        WriteVarint((uint)count);
        WriteRawByte(elementDescriptor);
    }

    /// <summary>Writes a presence byte before a sequence element that may be null.</summary>
    public void WritePresence(bool present) => WriteRawByte(present ? (byte)1 : (byte)0);

    public void WriteBoolean(bool value) => WriteRawByte(value ? (byte)1 : (byte)0);

    public void WriteByte(byte value) => WriteVarint(value);

    public void WriteSByte(sbyte value) => WriteVarint(ZigZag(value));

    public void WriteInt16(short value) => WriteVarint(ZigZag(value));

    public void WriteUInt16(ushort value) => WriteVarint(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt32(int value) => WriteVarint(ZigZag(value));

    public void WriteUInt32(uint value) => WriteVarint(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64(long value) => WriteVarint(ZigZag(value));

    public void WriteUInt64(ulong value) => WriteVarint(value);

    public void WriteTimeSpan(TimeSpan value) => WriteVarint(ZigZag(value.Ticks));

    /// <summary>IEEE 754 bits, little-endian (NaN payloads and -0.0 are kept as they are).</summary>
    public void WriteSingle(float value)
    {
        Span<byte> s = Reserve(4);
        BinaryPrimitives.WriteSingleLittleEndian(s, value);
        _buffered += 4;
    }

    /// <summary>IEEE 754 bits, little-endian (NaN payloads and -0.0 are kept as they are).</summary>
    public void WriteDouble(double value)
    {
        Span<byte> s = Reserve(8);
        BinaryPrimitives.WriteDoubleLittleEndian(s, value);
        _buffered += 8;
    }

    /// <summary>
    /// 16 bytes: the 96-bit coefficient (three little-endian uint32, low first), scale, sign, two zero bytes. Trailing
    /// zeros are removed first (1.50m and 1.5m give the same bytes) and zero is written without sign.
    /// </summary>
    public void WriteDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        UInt128 coefficient = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        int scale = (bits[3] >> 16) & 0xFF;
        bool negative = bits[3] < 0;
        while (scale > 0 && bits[2] != 0)
        {
            (UInt128 quotient, UInt128 remainder) = UInt128.DivRem(coefficient, 10);
            if (remainder != 0)
            {
                break;
            }

            coefficient = quotient;
            bits[2] = (int)(uint)(coefficient >> 64);
            scale--;
        }

        if (bits[2] == 0)
        {
            // 64-bit fast path (most amounts).
            ulong small = (ulong)coefficient;
            while (scale > 0)
            {
                (ulong quotient, ulong remainder) = Math.DivRem(small, 10UL);
                if (remainder != 0)
                {
                    break;
                }

                small = quotient;
                scale--;
            }

            coefficient = small;
        }

        if (coefficient == 0)
        {
            scale = 0;
            negative = false;
        }

        Span<byte> s = Reserve(16);
        BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)coefficient);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(coefficient >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], (uint)(coefficient >> 64));
        s[12] = (byte)scale;
        s[13] = negative ? (byte)1 : (byte)0;
        s[14] = 0;
        s[15] = 0;
        _buffered += 16;
    }

    /// <summary>16 bytes: UTC ticks (int64 LE), offset in minutes (int16 LE), six zero bytes.</summary>
    public void WriteDateTimeOffset(DateTimeOffset value)
    {
        Span<byte> s = Reserve(16);
        BinaryPrimitives.WriteInt64LittleEndian(s, value.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(s[8..], checked((short)(value.Offset.Ticks / TimeSpan.TicksPerMinute)));
        s.Slice(10, 6).Clear();
        _buffered += 16;
    }

    /// <summary>16 bytes in RFC 4122 order (big-endian fields), the same on every machine.</summary>
    public void WriteGuid(Guid value)
    {
        Span<byte> s = Reserve(16);
        value.TryWriteBytes(s, bigEndian: true, out _);
        _buffered += 16;
    }

    /// <summary>Varint UTF-8 byte length, then UTF-8. A string with an unpaired surrogate cannot be written (it would not round-trip).</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int length;
        try
        {
            length = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"A state string contains an unpaired surrogate at index {ex.Index}; it cannot be stored as UTF-8 without changing it.", nameof(value), ex);
        }

        WriteVarint((uint)length);
        Span<byte> s = Reserve(length);
        StrictUtf8.GetBytes(value, s);
        _buffered += length;
    }

    /// <summary>An unsigned LEB128 varint (shortest form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarint(ulong value)
    {
        Span<byte> s = Reserve(10);
        int i = 0;
        while (value >= 0x80)
        {
            s[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        s[i++] = (byte)value;
        _buffered += i;
    }

    /// <summary>Sorts a dictionary's keys in ordinal order into a rented array (return it with <see cref="ReturnKeys"/>).</summary>
    public static string[] RentSortedKeys<TValue>(Dictionary<string, TValue> dictionary, out int count)
    {
        count = dictionary.Count;
        string[] keys = ArrayPool<string>.Shared.Rent(Math.Max(count, 1));
        dictionary.Keys.CopyTo(keys, 0);
        Array.Sort(keys, 0, count, StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Returns an array from <see cref="RentSortedKeys"/>.</summary>
    public static void ReturnKeys(string[] keys, int count)
    {
        Array.Clear(keys, 0, count);
        ArrayPool<string>.Shared.Return(keys);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteRawByte(byte value)
    {
        Reserve(1)[0] = value;
        _buffered++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Grow(size);
        }

        return _span[_buffered..];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size)
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = _output.GetSpan(Math.Max(size, 256));
        if (_span.Length < size)
        {
            throw new InvalidOperationException($"The output buffer returned {_span.Length} bytes; {size} were requested.");
        }
    }
}
