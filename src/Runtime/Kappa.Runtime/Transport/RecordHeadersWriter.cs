using System.Text;
using Kappa.Buffers;

namespace Kappa.Transport;

/// <summary>Builds the header encoding <see cref="RecordHeaders"/> reads. Reusable: call <see cref="Reset"/> between records.</summary>
public sealed class RecordHeadersWriter
{
    private readonly PooledBufferWriter _body = new(64);
    private readonly PooledBufferWriter _encoded = new(64);
    private int _count;

    public int Count => _count;

    public void Reset()
    {
        _body.Reset();
        _count = 0;
    }

    public RecordHeadersWriter Add(string key, ReadOnlySpan<byte> value)
    {
        WriteKey(key);
        WriteVarint(_body, value.Length);
        value.CopyTo(_body.GetSpan(value.Length));
        _body.Advance(value.Length);
        _count++;
        return this;
    }

    public RecordHeadersWriter Add(string key, string? value)
    {
        if (value is null)
        {
            WriteKey(key);
            WriteVarint(_body, -1);
            _count++;
            return this;
        }

        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max);
        try
        {
            int n = Encoding.UTF8.GetBytes(value, rented);
            return Add(key, rented.AsSpan(0, n));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The encoding (count, then headers), valid until the next change; empty when there are no headers.</summary>
    public ReadOnlySpan<byte> Encoded
    {
        get
        {
            if (_count == 0)
            {
                return ReadOnlySpan<byte>.Empty;
            }

            _encoded.Reset();
            WriteVarint(_encoded, _count);
            _body.WrittenSpan.CopyTo(_encoded.GetSpan(_body.WrittenCount));
            _encoded.Advance(_body.WrittenCount);
            return _encoded.WrittenSpan;
        }
    }

    private void WriteKey(string key)
    {
        int max = Encoding.UTF8.GetMaxByteCount(key.Length);
        WriteVarint(_body, Encoding.UTF8.GetByteCount(key));
        int n = Encoding.UTF8.GetBytes(key, _body.GetSpan(max));
        _body.Advance(n);
    }

    private static void WriteVarint(PooledBufferWriter writer, long value)
    {
        int n = Varint.Write(writer.GetSpan(Varint.MaxLength64), value);
        writer.Advance(n);
    }
}
