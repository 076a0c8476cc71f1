using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Kappa.Buffers;

namespace Kappa.Avro;

/// <summary>
/// Reads Avro binary encoding from a span. Every failure is an <see cref="AvroDecodeException"/> naming the type, the field
/// being read (generated code sets <see cref="Field"/>) and the byte offset.
/// </summary>
public ref struct AvroReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public AvroReader(ReadOnlySpan<byte> data, string typeName)
    {
        _data = data;
        _position = 0;
        TypeName = typeName;
        Field = null;
    }

    /// <summary>The record type being decoded (for error messages).</summary>
    public string TypeName { get; set; }

    /// <summary>The field being decoded (for error messages).</summary>
    public string? Field { get; set; }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public bool ReadBoolean()
    {
        byte b = ReadByte();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw Fail(_position - 1, $"boolean byte must be 0 or 1, found {b}"),
        };
    }

    public int ReadInt()
    {
        int start = _position;
        int n = Varint.TryRead(_data[_position..], out long value, Varint.MaxLength32);
        if (n <= 0)
        {
            throw Fail(start, n == 0 ? "input ends inside an int" : "int varint longer than 5 bytes");
        }

        if (value is < int.MinValue or > int.MaxValue)
        {
            throw Fail(start, $"int value {value} out of range");
        }

        _position += n;
        return (int)value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadLong()
    {
        int start = _position;
        int n = Varint.TryRead(_data[_position..], out long value, Varint.MaxLength64);
        if (n <= 0)
        {
            throw Fail(start, n == 0 ? "input ends inside a long" : "long varint longer than 10 bytes");
        }

        _position += n;
        return value;
    }

    public float ReadFloat()
    {
        ReadOnlySpan<byte> bytes = ReadFixedSpan(4);
        return BinaryPrimitives.ReadSingleLittleEndian(bytes);
    }

    public double ReadDouble()
    {
        ReadOnlySpan<byte> bytes = ReadFixedSpan(8);
        return BinaryPrimitives.ReadDoubleLittleEndian(bytes);
    }

    public string ReadString()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytesSpan();
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
    /// block's byte size, per the spec; the size is checked and skipped.
    /// </summary>
    public long ReadBlockCount()
    {
        int start = _position;
        long count = ReadLong();
        if (count < 0)
        {
            if (count == long.MinValue)
            {
                throw Fail(start, "block count out of range");
            }

            count = -count;
            long size = ReadLong();
            if (size < 0 || size > Remaining)
            {
                throw Fail(start, $"block byte size {size} invalid ({Remaining} bytes left)");
            }
        }

        // Every item takes at least one byte except zero-size items (null); bound the count to stop absurd allocations.
        if (count > Remaining && count > 1_000_000)
        {
            throw Fail(start, $"block count {count} is larger than the {Remaining} bytes left can hold");
        }

        return count;
    }

    /// <summary>Throws unless all input was consumed.</summary>
    public readonly void EnsureEnd()
    {
        if (_position != _data.Length)
        {
            throw new AvroDecodeException(TypeName, null, _position, $"{_data.Length - _position} unexpected bytes after the end of the value");
        }
    }

    /// <summary>Creates the exception for a failure at <paramref name="offset"/> in the current field.</summary>
    public readonly AvroDecodeException Fail(int offset, string reason) => new(TypeName, Field, offset, reason);

    private byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Fail(_position, "input ends early");
        }

        return _data[_position++];
    }

    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
