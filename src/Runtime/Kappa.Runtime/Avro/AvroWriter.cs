using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Kappa.Buffers;

namespace Kappa.Avro;

/// <summary>Writes Avro binary encoding into an <see cref="IBufferWriter{T}"/>. Call <see cref="Flush"/> when done.</summary>
public ref struct AvroWriter
{
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    public AvroWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = default;
        _buffered = 0;
    }

    public void WriteBoolean(bool value)
    {
        Ensure(1);
        _span[_buffered++] = value ? (byte)1 : (byte)0;
    }

    public void WriteInt(int value) => WriteLong(value);

    public void WriteLong(long value)
    {
        Ensure(Varint.MaxLength64);
        _buffered += Varint.Write(_span[_buffered..], value);
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
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 4096)
        {
            Ensure(Varint.MaxLength64 + max);
            int count = Encoding.UTF8.GetByteCount(value);
            _buffered += Varint.Write(_span[_buffered..], count);
            _buffered += Encoding.UTF8.GetBytes(value, _span[_buffered..]);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        WriteLong(length);
        Ensure(length);
        _buffered += Encoding.UTF8.GetBytes(value, _span[_buffered..]);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        WriteFixed(value);
    }

    public void WriteFixed(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_span[_buffered..]);
        _buffered += value.Length;
    }

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

    private void Ensure(int size)
    {
        if (_span.Length - _buffered >= size)
        {
            return;
        }

        Flush();
        _span = _output.GetSpan(Math.Max(size, 256));
    }
}
