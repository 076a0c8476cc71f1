using System.Buffers;
using Kappa.Avro;

namespace Kappa.Runtime.Tests.Avro;

/// <summary>The multi-byte varint paths of <see cref="AvroReader"/>: values at every length boundary, and the failures.</summary>
public class AvroVarintTests
{
    public static TheoryData<long> Longs()
    {
        var data = new TheoryData<long> { 0, 1, -1, long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1 };
        // Zig-zag values around every 7-bit boundary (1 to 10 bytes).
        for (int bits = 6; bits < 63; bits += 7)
        {
            long edge = 1L << bits;
            data.Add(edge - 1);
            data.Add(edge);
            data.Add(-edge);
            data.Add(-edge - 1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Longs))]
    public void Longs_round_trip_with_the_shortest_encoding(long value)
    {
        byte[] bytes = Encode(w => w.WriteLong(value));
        ulong zigzag = (ulong)((value << 1) ^ (value >> 63));
        int expectedLength = 1;
        while ((zigzag >>= 7) != 0)
        {
            expectedLength++;
        }

        Assert.Equal(expectedLength, bytes.Length);
        var reader = new AvroReader(bytes, "T");
        Assert.Equal(value, reader.ReadLong());
        Assert.Equal(bytes.Length, reader.Position);
        reader.EnsureEnd();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(-65)]
    [InlineData(8191)]
    [InlineData(8192)]
    [InlineData(1 << 20)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Ints_round_trip(int value)
    {
        byte[] bytes = Encode(w => w.WriteInt(value));
        var reader = new AvroReader(bytes, "T");
        Assert.Equal(value, reader.ReadInt());
        reader.EnsureEnd();
    }

    [Fact]
    public void Two_values_in_a_row_are_read_from_their_positions()
    {
        byte[] bytes = Encode(w =>
        {
            w.WriteLong(1_000_000);
            w.WriteLong(-3);
            w.WriteInt(70);
        });
        var reader = new AvroReader(bytes, "T");
        Assert.Equal(1_000_000, reader.ReadLong());
        Assert.Equal(-3, reader.ReadLong());
        Assert.Equal(70, reader.ReadInt());
        reader.EnsureEnd();
    }

    [Theory]
    [InlineData(new byte[] { }, 0, "input ends inside a long")]
    [InlineData(new byte[] { 0x80 }, 0, "input ends inside a long")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 0, "input ends inside a long")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, 0, "long value out of range")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00 }, 0, "long value out of range")]
    [InlineData(new byte[] { 0x00, 0x80, 0x80 }, 1, "input ends inside a long")]
    public void Bad_longs_fail_with_the_reason_and_offset(byte[] bytes, int skip, string reason)
    {
        var ex = Assert.Throws<AvroDecodeException>(() =>
        {
            var reader = new AvroReader(bytes, "T");
            for (int i = 0; i < skip; i++)
            {
                reader.ReadLong();
            }

            reader.ReadLong();
        });
        Assert.Equal(reason, ex.Reason);
        Assert.Equal(skip, ex.Offset);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80 }, "input ends inside an int")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "input ends inside an int")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, "int varint longer than 5 bytes")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x10 }, "int value out of range")]
    public void Bad_ints_fail_with_the_reason(byte[] bytes, string reason)
    {
        var ex = Assert.Throws<AvroDecodeException>(() => new AvroReader(bytes, "T").ReadInt());
        Assert.Equal(reason, ex.Reason);
        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public void The_largest_ten_byte_long_is_accepted()
    {
        // Zig-zag 2^64 - 1 (long.MinValue): nine 0xFF bytes and 0x01.
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        var reader = new AvroReader(bytes, "T");
        Assert.Equal(long.MinValue, reader.ReadLong());
        reader.EnsureEnd();
    }

    [Fact]
    public void Trailing_bytes_fail_EnsureEnd_with_the_type_and_count()
    {
        var ex = Assert.Throws<AvroDecodeException>(() =>
        {
            var reader = new AvroReader(new byte[] { 0x02, 0x00, 0x00 }, "Sample");
            reader.ReadLong();
            reader.EnsureEnd();
        });
        Assert.Equal("Sample", ex.TypeName);
        Assert.Equal(1, ex.Offset);
        Assert.Equal("2 unexpected bytes after the end of the value", ex.Reason);
    }

    private static byte[] Encode(Action<AvroWriterBox> write)
    {
        var output = new ArrayBufferWriter<byte>();
        var box = new AvroWriterBox(output);
        write(box);
        box.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>AvroWriter is a ref struct; this wraps the calls the tests need.</summary>
    private sealed class AvroWriterBox(IBufferWriter<byte> output)
    {
        private readonly List<long> _values = [];

        public void WriteLong(long value) => _values.Add(value);

        public void WriteInt(int value) => _values.Add(value);

        public void Flush()
        {
            var writer = new AvroWriter(output);
            foreach (long value in _values)
            {
                writer.WriteLong(value);
            }

            writer.Flush();
        }
    }
}
