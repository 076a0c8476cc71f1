using Kappa.Avro;

namespace Kappa.Runtime.Tests.Avro;

/// <summary>Records without fields take zero bytes, so collections of them need their own size guard.</summary>
public class AvroEmptyRecordTests
{
    [Fact]
    public void Collections_of_empty_records_round_trip()
    {
        var value = new Markers([new Marker(), new Marker(), new Marker()], [new Marker()], 7);
        byte[] bytes = AvroSerializer.SerializeToArray(value);
        Assert.Equal(new byte[] { 0x06, 0x00, 0x02, 0x00, 0x0E }, bytes);
        var back = AvroSerializer.Deserialize<Markers>(bytes);
        Assert.Equal(3, back.Items.Count);
        Assert.Single(back.More);
        Assert.Equal(7, back.Tail);
    }

    [Fact]
    public void Absurd_count_of_empty_records_is_a_decode_error()
    {
        // Items: one block claiming 2^40 empty records, which would take no bytes at all.
        byte[] bytes = [0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x00, 0x00, 0x00];
        var ex = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<Markers>(bytes));
        Assert.Equal("Items", ex.FieldName);
        Assert.Equal(0, ex.Offset);
    }
}
