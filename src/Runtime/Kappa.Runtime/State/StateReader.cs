using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace Kappa.State;

/// <summary>
/// Reads the deterministic state format (docs/state.md) from a span. Every malformed or truncated input gives a
/// <see cref="StateFormatException"/> with the byte offset (generated readers add the state type and field).
/// Only canonical encodings are accepted (shortest varints, sorted dictionary keys, valid UTF-8), so a value that
/// reads back always writes the same bytes.
/// </summary>
public ref struct StateReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _depth;

    public StateReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
        _depth = 0;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Reads and checks the value header.</summary>
    public StateHeader ReadHeader()
    {
        if (_data.IsEmpty)
        {
            throw Fail("the value is empty (no state header)");
        }

        byte format = ReadRawByte();
        if (format != StateHeader.CurrentFormatVersion)
        {
            throw new StateFormatException($"unknown state format version {format} (this runtime reads version {StateHeader.CurrentFormatVersion})", _position - 1);
        }

        ulong version = ReadVarint();
        if (version is 0 or > int.MaxValue)
        {
            throw new StateFormatException($"invalid state schema version {version}", _position);
        }

        ReadOnlySpan<byte> fingerprint = Take(4);
        return new StateHeader(format, (int)version, BinaryPrimitives.ReadUInt32LittleEndian(fingerprint));
    }

    /// <summary>Fails unless every byte has been read (top-level values).</summary>
    public readonly void EnsureEnd()
    {
        if (_position != _data.Length)
        {
            throw new StateFormatException($"{_data.Length - _position} unexpected byte(s) after the end of the state", _position);
        }
    }

    /// <summary>Starts reading a state's fields (guards against absurd nesting in corrupt input).</summary>
    public void EnterNested()
    {
        if (++_depth > StateWriter.MaxDepth)
        {
            throw Fail($"states nested deeper than {StateWriter.MaxDepth}");
        }
    }

    /// <summary>
    /// Reads the next field tag. Returns false at the end tag (and leaves the nested state); throws when the input ends
    /// before the end tag.
    /// </summary>
    public bool ReadTag(out int fieldNumber, out StateWireType wireType)
    {
        if (_position >= _data.Length)
        {
            throw Fail("the input ends before the state's end tag (truncated)");
        }

        int start = _position;
        ulong tag = ReadVarint();
        if (tag == 0)
        {
            _depth--;
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        ulong number = tag >> 3;
        if (number is 0 or > int.MaxValue)
        {
            throw new StateFormatException($"invalid field tag {tag}", start);
        }

        fieldNumber = (int)number;
        wireType = (StateWireType)(tag & 7);
        return true;
    }

    /// <summary>Fails when a field arrives with a wire type other than the expected one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void ExpectWireType(StateWireType actual, StateWireType expected)
    {
        if (actual != expected)
        {
            ThrowWireType(actual, expected);
        }
    }

    /// <summary>Reads a sequence header, checks its element descriptor, and returns the element count.</summary>
    public int ReadSequenceHeader(byte expectedDescriptor)
    {
        int start = _position;
        ulong count = ReadVarint();
        byte descriptor = ReadRawByte();
        if (descriptor != expectedDescriptor)
        {
            throw new StateFormatException($"sequence element descriptor 0x{descriptor:X2} does not match the declared element type (0x{expectedDescriptor:X2})", start);
        }

        // Every element takes at least one byte, so a count larger than what is left is corrupt (and must not allocate).
        if (count > (ulong)Remaining)
        {
            throw new StateFormatException($"sequence of {count} element(s) but only {Remaining} byte(s) left (truncated or corrupt)", start);
        }

        return (int)count;
    }

    /// <summary>Reads the presence byte before a sequence element that may be null.</summary>
    public bool ReadPresence()
    {
        byte b = ReadRawByte();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new StateFormatException($"invalid presence byte {b} (expected 0 or 1)", _position - 1),
        };
    }

    public bool ReadBoolean()
    {
        byte b = ReadRawByte();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new StateFormatException($"invalid bool byte {b} (expected 0 or 1)", _position - 1),
        };
    }

    public byte ReadByte() => (byte)ReadUnsigned(byte.MaxValue, "byte");

    public sbyte ReadSByte() => (sbyte)ReadSigned(sbyte.MinValue, sbyte.MaxValue, "sbyte");

    public short ReadInt16() => (short)ReadSigned(short.MinValue, short.MaxValue, "short");

    public ushort ReadUInt16() => (ushort)ReadUnsigned(ushort.MaxValue, "ushort");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt32() => (int)ReadSigned(int.MinValue, int.MaxValue, "int");

    public uint ReadUInt32() => (uint)ReadUnsigned(uint.MaxValue, "uint");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64() => UnZigZag(ReadVarint());

    public ulong ReadUInt64() => ReadVarint();

    public TimeSpan ReadTimeSpan() => new(ReadInt64());

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public decimal ReadDecimal()
    {
        int start = _position;
        ReadOnlySpan<byte> s = Take(16);
        uint lo = BinaryPrimitives.ReadUInt32LittleEndian(s);
        uint mid = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
        uint hi = BinaryPrimitives.ReadUInt32LittleEndian(s[8..]);
        byte scale = s[12];
        byte sign = s[13];
        if (scale > 28 || sign > 1 || s[14] != 0 || s[15] != 0)
        {
            throw new StateFormatException($"invalid decimal (scale {scale}, sign byte {sign}, padding {s[14]} {s[15]})", start);
        }

        bool zero = (lo | mid | hi) == 0;
        if ((zero && (scale != 0 || sign != 0)) || (!zero && scale > 0 && (hi == 0 ? ((((ulong)mid << 32) | lo) % 10) == 0 : ((((UInt128)hi << 64) | ((UInt128)mid << 32) | lo) % 10) == 0)))
        {
            throw new StateFormatException($"decimal is not normalized (scale {scale} with trailing zeros, or a signed or scaled zero)", start);
        }

        return new decimal((int)lo, (int)mid, (int)hi, sign == 1, scale);
    }

    public DateTimeOffset ReadDateTimeOffset()
    {
        int start = _position;
        ReadOnlySpan<byte> s = Take(16);
        long utcTicks = BinaryPrimitives.ReadInt64LittleEndian(s);
        short offsetMinutes = BinaryPrimitives.ReadInt16LittleEndian(s[8..]);
        if (s.Slice(10, 6).IndexOfAnyExcept((byte)0) >= 0 || offsetMinutes is < -840 or > 840
            || utcTicks < DateTimeOffset.MinValue.UtcTicks || utcTicks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new StateFormatException($"invalid DateTimeOffset (UTC ticks {utcTicks}, offset {offsetMinutes} min)", start);
        }

        try
        {
            return new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new StateFormatException($"DateTimeOffset out of range (UTC ticks {utcTicks}, offset {offsetMinutes} min)", start);
        }
    }

    public Guid ReadGuid() => new(Take(16), bigEndian: true);

    public string ReadString()
    {
        int start = _position;
        ulong length = ReadVarint();
        if (length > (ulong)Remaining)
        {
            throw new StateFormatException($"string of {length} byte(s) but only {Remaining} byte(s) left (truncated)", start);
        }

        ReadOnlySpan<byte> bytes = Take((int)length);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new StateFormatException("string is not valid UTF-8", start);
        }
    }

    /// <summary>Reads a dictionary key and checks keys arrive in strictly increasing ordinal order.</summary>
    public string ReadDictionaryKey(string? previousKey)
    {
        int start = _position;
        string key = ReadString();
        if (previousKey is not null && string.CompareOrdinal(previousKey, key) >= 0)
        {
            throw new StateFormatException($"dictionary key '{key}' is not after '{previousKey}' in ordinal order (duplicate or unsorted keys)", start);
        }

        return key;
    }

    /// <summary>Skips a field of any wire type (fields of newer versions and retired fields).</summary>
    public void Skip(StateWireType wireType)
    {
        switch (wireType)
        {
            case StateWireType.Varint:
                ReadVarint();
                break;
            case StateWireType.Fixed64:
                Take(8);
                break;
            case StateWireType.Bytes:
                {
                    int start = _position;
                    ulong length = ReadVarint();
                    if (length > (ulong)Remaining)
                    {
                        throw new StateFormatException($"field of {length} byte(s) but only {Remaining} byte(s) left (truncated)", start);
                    }

                    Take((int)length);
                    break;
                }

            case StateWireType.Fixed128:
                Take(16);
                break;
            case StateWireType.Fixed32:
                Take(4);
                break;
            case StateWireType.Group:
                EnterNested();
                while (ReadTag(out _, out StateWireType inner))
                {
                    Skip(inner);
                }

                break;
            case StateWireType.Sequence:
                {
                    int start = _position;
                    ulong count = ReadVarint();
                    byte descriptor = ReadRawByte();
                    var element = (StateWireType)(descriptor & 7);
                    if ((descriptor & ~0x1F) != 0 || element == StateWireType.Null)
                    {
                        throw new StateFormatException($"invalid sequence element descriptor 0x{descriptor:X2}", start);
                    }

                    if (count > (ulong)Remaining)
                    {
                        throw new StateFormatException($"sequence of {count} element(s) but only {Remaining} byte(s) left (truncated or corrupt)", start);
                    }

                    for (ulong i = 0; i < count; i++)
                    {
                        if ((descriptor & StateWriter.ElementIsKeyed) != 0)
                        {
                            Skip(StateWireType.Bytes);
                        }

                        if ((descriptor & StateWriter.ElementHasPresence) != 0 && !ReadPresence())
                        {
                            continue;
                        }

                        Skip(element);
                    }

                    break;
                }

            case StateWireType.Null:
                break;
            default:
                throw Fail($"unknown wire type {(int)wireType}");
        }
    }

    /// <summary>An unsigned LEB128 varint; rejects over-long and non-shortest encodings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        if (_position < _data.Length && _data[_position] < 0x80)
        {
            return _data[_position++];
        }

        return ReadVarintSlow();
    }

    /// <summary>Creates the exception for a problem at the current position.</summary>
    public readonly StateFormatException Fail(string reason) => new(reason, _position);

    private ulong ReadVarintSlow()
    {
        int start = _position;
        ulong result = 0;
        for (int i = 0; i < 10; i++)
        {
            if (_position >= _data.Length)
            {
                throw new StateFormatException("the input ends inside a varint (truncated)", start);
            }

            byte b = _data[_position++];
            if (i == 9 && b > 1)
            {
                throw new StateFormatException("varint longer than 64 bits", start);
            }

            result |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                if (b == 0 && i > 0)
                {
                    throw new StateFormatException("varint not in its shortest form", start);
                }

                return result;
            }
        }

        throw new StateFormatException("varint longer than 10 bytes", start);
    }

    private long ReadSigned(long min, long max, string typeName)
    {
        int start = _position;
        long value = UnZigZag(ReadVarint());
        if (value < min || value > max)
        {
            throw new StateFormatException($"value {value} does not fit in {typeName}", start);
        }

        return value;
    }

    private ulong ReadUnsigned(ulong max, string typeName)
    {
        int start = _position;
        ulong value = ReadVarint();
        if (value > max)
        {
            throw new StateFormatException($"value {value} does not fit in {typeName}", start);
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private byte ReadRawByte()
    {
        if (_position >= _data.Length)
        {
            throw Fail("the input ends early (truncated)");
        }

        return _data[_position++];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if (_data.Length - _position < count)
        {
            ThrowTruncated(count);
        }

        ReadOnlySpan<byte> s = _data.Slice(_position, count);
        _position += count;
        return s;
    }

    [DoesNotReturn]
    private readonly void ThrowTruncated(int count) =>
        throw new StateFormatException($"{count} byte(s) needed but only {_data.Length - _position} left (truncated)", _position);

    [DoesNotReturn]
    private readonly void ThrowWireType(StateWireType actual, StateWireType expected) =>
        throw new StateFormatException($"wire type {actual} where {expected} was expected (the field's type changed without a migration, or the data is corrupt)", _position);
}
