using System.Buffers;
using Kappa.Avro;
using Kappa.Buffers;

namespace Kappa.Runtime.Tests.Avro;

public class AvroRoundTripTests
{
    [Fact]
    public void Everything_round_trips_with_extreme_and_non_ascii_values()
    {
        Everything value = AvroSamples.Full();
        byte[] bytes = AvroSerializer.SerializeToArray(value);
        Everything back = AvroSerializer.Deserialize<Everything>(bytes);
        Assert.Equal(AvroSamples.Describe(value), AvroSamples.Describe(back));
    }

    [Fact]
    public void Everything_round_trips_with_nulls_and_empty_collections()
    {
        Everything value = AvroSamples.Empty();
        Everything back = AvroSerializer.Deserialize<Everything>(AvroSerializer.SerializeToArray(value));
        Assert.Equal(AvroSamples.Describe(value), AvroSamples.Describe(back));
    }

    [Fact]
    public void Timestamps_drop_sub_unit_ticks_by_flooring_and_decode_as_utc()
    {
        var value = AvroSamples.Full();
        var back = AvroSerializer.Deserialize<Everything>(AvroSerializer.SerializeToArray(value));
        Assert.Equal(value.CreatedMillis.UtcDateTime, back.CreatedMillis.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, back.CreatedMillis.Offset);

        // 1230 ticks before the epoch's following second: micros keep 123 us, the 0 remaining ticks vanish.
        Assert.Equal(value.CreatedMicros.UtcTicks, back.CreatedMicros.UtcTicks);
        var precise = value with { CreatedMillis = DateTimeOffset.UnixEpoch.AddTicks(-1) };
        var decoded = AvroSerializer.Deserialize<Everything>(AvroSerializer.SerializeToArray(precise));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMilliseconds(-1), decoded.CreatedMillis);
        Assert.Equal(DateTimeKind.Utc, decoded.UpdatedMillis.Kind);
    }

    [Fact]
    public void DateTime_kinds_local_is_converted_and_unspecified_is_taken_as_utc()
    {
        var utc = new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        var local = utc.ToLocalTime();
        var unspecified = DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);
        foreach (DateTime input in new[] { utc, local, unspecified })
        {
            var value = AvroSamples.Empty() with { UpdatedMillis = input };
            var back = AvroSerializer.Deserialize<Everything>(AvroSerializer.SerializeToArray(value));
            Assert.Equal(utc, back.UpdatedMillis);
            Assert.Equal(DateTimeKind.Utc, back.UpdatedMillis.Kind);
        }
    }

    [Fact]
    public void Class_with_object_initializer_and_recursive_reference_round_trips()
    {
        var customer = new Customer
        {
            Name = "Ada",
            Age = 36,
            Addresses = [new Address("a", null, 1)],
            Email = "ada@example.org",
            Referrer = new Customer { Name = "Bob", Age = 40 },
        };
        var back = AvroSerializer.Deserialize<Customer>(AvroSerializer.SerializeToArray(customer));
        Assert.Equal("Ada", back.Name);
        Assert.Equal(36, back.Age);
        Assert.Equal(new Address("a", null, 1), Assert.Single(back.Addresses));
        Assert.Equal("ada@example.org", back.Email);
        Assert.Equal("Bob", back.Referrer!.Name);
        Assert.Null(back.Referrer.Referrer);
    }

    [Fact]
    public void Structs_and_nested_types_round_trip()
    {
        var m = new Measurement { Timestamp = -5, Value = 3.5f };
        Assert.Equal(m, AvroSerializer.Deserialize<Measurement>(AvroSerializer.SerializeToArray(m)));
        var inner = new Outer.Inner("x");
        Assert.Equal(inner, AvroSerializer.Deserialize<Outer.Inner>(AvroSerializer.SerializeToArray(inner)));
    }

    [Fact]
    public void Encoding_matches_the_spec_byte_for_byte_for_a_small_record()
    {
        // Address("ab", null, -2): string "ab" = 04 61 62, union null branch = 00, int -2 = 03.
        byte[] bytes = AvroSerializer.SerializeToArray(new Address("ab", null, -2));
        Assert.Equal(new byte[] { 0x04, 0x61, 0x62, 0x00, 0x03 }, bytes);
        byte[] withCity = AvroSerializer.SerializeToArray(new Address("", "c", 64));
        Assert.Equal(new byte[] { 0x00, 0x02, 0x02, 0x63, 0x80, 0x01 }, withCity);
    }

    [Fact]
    public void Decimal_is_twos_complement_big_endian_unscaled()
    {
        // OrderLine price has scale 4: -0.0001 -> unscaled -1 -> one byte 0xFF; 1.28 -> 12800 = 0x3200.
        byte[] a = AvroSerializer.SerializeToArray(new OrderLine("", 0, -0.0001m));
        Assert.Equal(new byte[] { 0x00, 0x00, 0x02, 0xFF }, a);
        byte[] b = AvroSerializer.SerializeToArray(new OrderLine("", 0, 1.28m));
        Assert.Equal(new byte[] { 0x00, 0x00, 0x04, 0x32, 0x00 }, b);
        byte[] c = AvroSerializer.SerializeToArray(new OrderLine("", 0, 0.0128m));
        Assert.Equal(new byte[] { 0x00, 0x00, 0x02, 0x00, 0x80 }.Length, c.Length);
        Assert.Equal(128m / 10000m, AvroSerializer.Deserialize<OrderLine>(c).Price);
    }

    [Fact]
    public void Decimal_with_too_many_fractional_digits_is_rejected_not_rounded()
    {
        var ex = Assert.Throws<AvroEncodeException>(() => AvroSerializer.SerializeToArray(new OrderLine("x", 1, 0.00001m)));
        Assert.Equal("OrderLine", ex.TypeName);
        Assert.Equal("Price", ex.FieldName);
        Assert.Contains("never rounded", ex.Message);
    }

    [Fact]
    public void Decimal_exceeding_precision_is_rejected()
    {
        // decimal(18,4) holds at most 14 integer digits.
        Assert.Throws<AvroEncodeException>(() => AvroSerializer.SerializeToArray(new OrderLine("x", 1, 100_000_000_000_000m)));
        var ok = AvroSerializer.Deserialize<OrderLine>(AvroSerializer.SerializeToArray(new OrderLine("x", 1, 99_999_999_999_999.9999m)));
        Assert.Equal(99_999_999_999_999.9999m, ok.Price);
    }

    [Fact]
    public void Null_in_non_nullable_member_and_undefined_enum_are_encode_errors()
    {
        var noStreet = new Address(null!, null, 0);
        var ex = Assert.Throws<AvroEncodeException>(() => AvroSerializer.SerializeToArray(noStreet));
        Assert.Equal("Street", ex.FieldName);
        var badEnum = AvroSamples.Empty() with { Status = (Status)42 };
        var ex2 = Assert.Throws<AvroEncodeException>(() => AvroSerializer.SerializeToArray(badEnum));
        Assert.Equal("Status", ex2.FieldName);
        Assert.Contains("42", ex2.Message);
    }

    [Fact]
    public void Pooled_buffer_encodes_without_growing_garbage_and_matches_array_output()
    {
        using var buffer = new PooledBufferWriter(16);
        var value = AvroSamples.Full();
        AvroSerializer.Serialize(value, buffer);
        Assert.Equal(AvroSerializer.SerializeToArray(value), buffer.ToArray());
        buffer.Reset();
        AvroSerializer.Serialize(value, buffer);
        Assert.Equal(AvroSerializer.SerializeToArray(value), buffer.ToArray());
    }

    [Fact]
    public void Long_strings_are_length_prefixed_correctly_across_size_boundaries()
    {
        foreach (int length in new[] { 0, 1, 21, 22, 63, 64, 1024, 1025, 5000 })
        {
            foreach (string unit in new[] { "a", "é", "✓" })
            {
                string text = string.Concat(Enumerable.Repeat(unit, length));
                var value = new Outer.Inner(text);
                var output = new ArrayBufferWriter<byte>(1);
                AvroSerializer.Serialize(value, output);
                Assert.Equal(text, AvroSerializer.Deserialize<Outer.Inner>(output.WrittenSpan).Value);
            }
        }
    }

    [Fact]
    public void Array_and_map_blocks_with_negative_counts_and_byte_sizes_are_read()
    {
        // Measurement-free check through Everything is heavy; use Customer.Addresses: a block of -1 items with a byte size.
        // Name "" (00), Age 0 (00), Addresses: count -1 (01), size 5 (0A), Address("ab", null, 1) = 04 61 62 00 02, end 00,
        // Email null (00), Referrer null (00).
        byte[] bytes = [0x00, 0x00, 0x01, 0x0A, 0x04, 0x61, 0x62, 0x00, 0x02, 0x00, 0x00, 0x00];
        var customer = AvroSerializer.Deserialize<Customer>(bytes);
        Assert.Equal(new Address("ab", null, 1), Assert.Single(customer.Addresses));
    }

    [Fact]
    public void Schema_json_declares_logical_types_and_named_types_once()
    {
        string json = Everything.AvroSchemaJson;
        Assert.Contains("\"logicalType\":\"decimal\",\"precision\":20,\"scale\":6", json);
        Assert.Contains("\"logicalType\":\"timestamp-micros\"", json);
        Assert.Contains("\"logicalType\":\"uuid\"", json);
        Assert.Contains("\"logicalType\":\"date\"", json);
        Assert.Equal(1, CountOf(json, "\"name\":\"Address\""));
        Assert.Equal(1, CountOf(json, "\"symbols\""));
        Assert.StartsWith("{\"type\":\"record\",\"name\":\"Everything\",\"namespace\":\"kappa.tests\"", json);
        Assert.DoesNotContain("logicalType", Everything.AvroCanonicalSchema);
        Assert.StartsWith("{\"name\":\"kappa.tests.Everything\",\"type\":\"record\",\"fields\":[", Everything.AvroCanonicalSchema);
        Assert.Equal(AvroFingerprint.Compute(Everything.AvroCanonicalSchema), Everything.AvroFingerprint);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
