using System.Buffers;
using Kappa.Avro;

namespace Kappa.Runtime.Tests.Avro;

public class ConfluentWireFormatTests
{
    [Fact]
    public void Writes_magic_byte_big_endian_id_and_body()
    {
        var output = new ArrayBufferWriter<byte>();
        ConfluentWireFormat.Serialize(new Address("a", null, 1), 0x01020304, output);
        Assert.Equal(new byte[] { 0x00, 0x01, 0x02, 0x03, 0x04, 0x02, 0x61, 0x00, 0x02 }, output.WrittenSpan.ToArray());
        var back = ConfluentWireFormat.Deserialize<Address>(output.WrittenSpan, out int id);
        Assert.Equal(0x01020304, id);
        Assert.Equal(new Address("a", null, 1), back);
    }

    [Fact]
    public void Wrong_magic_byte_is_a_specific_error()
    {
        var ex = Assert.Throws<ConfluentWireFormatException>(() => ConfluentWireFormat.ReadHeader(new byte[] { 1, 0, 0, 0, 1, 0 }, out _));
        Assert.Contains("magic byte 0, found 1", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Too_short_buffer_is_a_specific_error(int length)
    {
        var ex = Assert.Throws<ConfluentWireFormatException>(() => ConfluentWireFormat.ReadHeader(new byte[length], out _));
        Assert.Contains($"has {length}", ex.Message);
    }

    [Fact]
    public void Negative_schema_ids_survive()
    {
        var output = new ArrayBufferWriter<byte>();
        ConfluentWireFormat.WriteHeader(-2, output);
        Assert.Equal(-2, ConfluentWireFormat.ReadHeader(output.WrittenSpan, out var body));
        Assert.True(body.IsEmpty);
    }
}
