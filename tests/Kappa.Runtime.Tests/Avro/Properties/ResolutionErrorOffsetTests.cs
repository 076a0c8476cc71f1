using System.Text;
using Kappa.Avro;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// Regression (found while writing the property tests): values the resolution plan copies without interpreting them
/// (strings, uuids, timestamps, dates, decimals) are checked by the generated decoder on the re-encoded bytes, and its
/// <see cref="AvroDecodeException.Offset"/> used to be the offset in those bytes, not in the input. It is the offset in
/// the writer's bytes now, like every other decode error.
/// </summary>
public sealed class ResolutionErrorOffsetTests
{
    [Fact]
    public void Invalid_utf8_after_a_skipped_writer_field_is_reported_at_its_offset_in_the_writer_bytes()
    {
        const string writer = """
            {"type":"record","name":"PropInner","namespace":"kappa.props","fields":[
              {"name":"Extra","type":"bytes"},{"name":"Count","type":"int"},{"name":"Label","type":"string"},
              {"name":"Weight","type":["null","double"],"default":null}]}
            """;
        byte[] data = [0x06, 1, 2, 3, 0x02, 0x08, 0xC3, 0x28, 0xFF, 0x41, 0x00]; // Extra (4 bytes), Count 1, Label at byte 5
        AvroDecodeException e = Assert.Throws<AvroDecodeException>(() => AvroResolution<PropInner>.For(writer).Decode(data));
        Assert.Equal(("Label", 5, "string is not valid UTF-8"), (e.FieldName, e.Offset, e.Reason));
        Assert.Contains("at byte 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_reordered_fields_is_reported_at_its_offset_in_the_writer_bytes()
    {
        const string writer = """
            {"type":"record","name":"PropInner","namespace":"kappa.props","fields":[
              {"name":"Weight","type":["null","double"],"default":null},{"name":"Extra","type":"bytes"},
              {"name":"Label","type":"string"},{"name":"Count","type":"int"}]}
            """;
        byte[] data = [0x00, 0x06, 1, 2, 3, 0x08, 0xC3, 0x28, 0xFF, 0x41, 0x02]; // Label at byte 5, Count last
        AvroDecodeException e = Assert.Throws<AvroDecodeException>(() => AvroResolution<PropInner>.For(writer).Decode(data));
        Assert.Equal(("Label", 5), (e.FieldName, e.Offset));
    }

    [Fact]
    public void Invalid_uuid_is_reported_where_the_identity_decoder_reports_it_shifted_by_the_skipped_prefix()
    {
        var value = new PropLogical(12.5m, null, DateTimeOffset.UnixEpoch, DateTime.UnixEpoch, null, new DateOnly(2026, 12, 3), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), null, []);
        byte[] bytes = AvroSerializer.SerializeToArray(value);
        int uuidAt = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes("0f8fad5b"));
        bytes[uuidAt] = (byte)'g';
        AvroDecodeException identity = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<PropLogical>(bytes));

        string writer = PropLogical.AvroSchemaJson.Replace("\"fields\":[", "\"fields\":[{\"name\":\"Extra\",\"type\":\"string\"},", StringComparison.Ordinal);
        byte[] data = [0x06, (byte)'a', (byte)'b', (byte)'c', .. bytes];
        AvroDecodeException resolved = Assert.Throws<AvroDecodeException>(() => AvroResolution<PropLogical>.For(writer).Decode(data));

        Assert.Equal("Id", resolved.FieldName);
        Assert.Equal(identity.Reason, resolved.Reason);
        Assert.Equal(identity.Offset + 4, resolved.Offset);
    }
}
