using Kappa.Avro;

namespace Kappa.Runtime.Tests.Avro;

/// <summary>Truncated and corrupted input must fail with <see cref="AvroDecodeException"/> and nothing else.</summary>
public class AvroDecodeRobustnessTests
{
    [Fact]
    public void Every_truncation_throws_AvroDecodeException()
    {
        foreach (Everything sample in new[] { AvroSamples.Full(), AvroSamples.Empty() })
        {
            byte[] bytes = AvroSerializer.SerializeToArray(sample);
            for (int length = 0; length < bytes.Length; length++)
            {
                var ex = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<Everything>(bytes.AsSpan(0, length)));
                Assert.Equal("Everything", ex.TypeName);
                Assert.InRange(ex.Offset, 0, length);
                Assert.NotNull(ex.FieldName);
            }
        }
    }

    [Fact]
    public void Every_truncation_of_other_shapes_throws_AvroDecodeException()
    {
        var customer = new Customer { Name = "Zoë", Age = 3, Addresses = [new Address("a", "b", 1)], Referrer = new Customer { Name = "r", Email = "e" } };
        AssertTruncations<Customer>(AvroSerializer.SerializeToArray(customer), "Customer");
        AssertTruncations<Markers>(AvroSerializer.SerializeToArray(new Markers([new Marker()], [new Marker()], 300)), "Markers");
        AssertTruncations<OrderLine>(AvroSerializer.SerializeToArray(new OrderLine("sku", 1, -123.4567m)), "OrderLine");
    }

    private static void AssertTruncations<T>(byte[] bytes, string typeName)
        where T : IAvroRecord<T>
    {
        for (int length = 0; length < bytes.Length; length++)
        {
            var ex = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<T>(bytes.AsSpan(0, length)));
            Assert.Equal(typeName, ex.TypeName);
        }
    }

    [Fact]
    public void Random_corruption_only_ever_throws_AvroDecodeException()
    {
        byte[] original = AvroSerializer.SerializeToArray(AvroSamples.Full());
        var random = new Random(20261121);
        int decodedAnyway = 0;
        int failures = 0;
        for (int round = 0; round < 3000; round++)
        {
            byte[] bytes = (byte[])original.Clone();
            int flips = 1 + random.Next(4);
            for (int f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                AvroSerializer.Deserialize<Everything>(bytes);
                decodedAnyway++;
            }
            catch (AvroDecodeException ex)
            {
                failures++;
                Assert.InRange(ex.Offset, 0, bytes.Length);
            }
            catch (Exception ex)
            {
                Assert.Fail($"Round {round}: {ex.GetType().Name} escaped instead of AvroDecodeException: {ex.Message}");
            }
        }

        Assert.True(failures > 0, "corruption never produced a decode error");
    }

    [Fact]
    public void Failure_in_nested_record_reports_the_field_path()
    {
        // Customer: Name "" , Age 0, Addresses [Address(Street <bad utf8>)].
        byte[] bytes = [0x00, 0x00, 0x02, 0x02, 0xC3, 0x00, 0x00, 0x00, 0x00, 0x00];
        var ex = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<Customer>(bytes));
        Assert.Equal("Customer", ex.TypeName);
        Assert.Equal("Addresses[0].Street", ex.FieldName);
        Assert.Equal(3, ex.Offset);
        Assert.Contains("UTF-8", ex.Message);
    }

    [Fact]
    public void Bad_union_index_names_field_and_offset()
    {
        byte[] bytes = [0x02, 0x61, 0x04, 0x00];
        var ex = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<Address>(bytes));
        Assert.Equal("City", ex.FieldName);
        Assert.Equal(2, ex.Offset);
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        byte[] bytes = [.. AvroSerializer.SerializeToArray(new Address("a", null, 1)), 0x00];
        var ex = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<Address>(bytes));
        Assert.Contains("unexpected bytes", ex.Message);
    }

    [Fact]
    public void Huge_block_count_is_rejected_before_allocating()
    {
        // Customer Addresses with a count of 2^40 items.
        byte[] bytes = [0x00, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x00];
        var ex = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<Customer>(bytes));
        Assert.Equal("Addresses", ex.FieldName);
    }

    [Fact]
    public void Overlong_varints_are_rejected()
    {
        byte[] longTooLong = [0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        var ex = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<Measurement>(longTooLong.AsSpan(0, 7)));
        Assert.NotNull(ex);
        byte[] intTooLong = [0x02, 0x61, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
        var ex2 = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<Address>(intTooLong));
        Assert.Equal("Zip", ex2.FieldName);
    }
}
