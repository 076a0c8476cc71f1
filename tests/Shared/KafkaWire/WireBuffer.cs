using System.Buffers.Binary;
using System.Text;

namespace Kappa.Tests.KafkaWire;

/// <summary>Writes the Kafka protocol's non-flexible primitive types (big-endian integers, INT16-length strings, INT32-count arrays).</summary>
internal sealed class WireWriter
{
    private byte[] _buffer = new byte[256];

    public int Length { get; private set; }

    public WireWriter Int8(sbyte value)
    {
        Span<byte> span = Grow(1);
        span[0] = unchecked((byte)value);
        return this;
    }

    public WireWriter Bool(bool value) => Int8(value ? (sbyte)1 : (sbyte)0);

    public WireWriter Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(Grow(2), value);
        return this;
    }

    public WireWriter Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Grow(4), value);
        return this;
    }

    /// <summary>STRING: INT16 length, then UTF-8 bytes.</summary>
    public WireWriter String(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Int16(checked((short)bytes.Length));
        bytes.CopyTo(Grow(bytes.Length));
        return this;
    }

    /// <summary>NULLABLE_STRING: length -1 for null.</summary>
    public WireWriter NullableString(string? value) => value is null ? Int16(-1) : String(value);

    /// <summary>BYTES: INT32 length, then the bytes.</summary>
    public WireWriter Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        value.CopyTo(Grow(value.Length));
        return this;
    }

    /// <summary>ARRAY: INT32 count, then each element.</summary>
    public WireWriter Array<T>(IReadOnlyCollection<T> items, Action<WireWriter, T> write)
    {
        Int32(items.Count);
        foreach (T item in items)
        {
            write(this, item);
        }

        return this;
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    private Span<byte> Grow(int count)
    {
        if (Length + count > _buffer.Length)
        {
            System.Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        Span<byte> span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}

/// <summary>Reads the Kafka protocol's non-flexible primitive types; a short buffer is a <see cref="InvalidDataException"/>.</summary>
internal sealed class WireReader(byte[] buffer)
{
    private int _position;

    public int Remaining => buffer.Length - _position;

    public sbyte Int8() => unchecked((sbyte)Take(1)[0]);

    public bool Bool() => Int8() != 0;

    public short Int16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public string? NullableString()
    {
        short length = Int16();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public string String() => NullableString() ?? throw new InvalidDataException("a STRING field is null");

    /// <summary>ARRAY: null (count -1) is returned as null.</summary>
    public List<T>? NullableArray<T>(Func<WireReader, T> read)
    {
        int count = Int32();
        if (count < 0)
        {
            return null;
        }

        var items = new List<T>(count);
        for (int i = 0; i < count; i++)
        {
            items.Add(read(this));
        }

        return items;
    }

    public List<T> Array<T>(Func<WireReader, T> read) => NullableArray(read) ?? throw new InvalidDataException("an ARRAY field is null");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new InvalidDataException($"the request ends after {_position} bytes; {count} more were expected");
        }

        ReadOnlySpan<byte> span = buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }
}
