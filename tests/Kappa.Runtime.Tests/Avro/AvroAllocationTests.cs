using Kappa.Avro;
using Kappa.Buffers;

namespace Kappa.Runtime.Tests.Avro;

/// <summary>Allocation budgets (not timing): encoding into a reused pooled buffer allocates nothing.</summary>
public class AvroAllocationTests
{
    [Fact]
    public void Encoding_into_a_pooled_buffer_allocates_nothing()
    {
        var value = AvroSamples.Full() with { Addresses = new Dictionary<string, Address?> { ["a"] = new Address("s", "c", 1) } };
        using var buffer = new PooledBufferWriter(4096);
        for (int i = 0; i < 10; i++)
        {
            buffer.Reset();
            AvroSerializer.Serialize(value, buffer);
        }

        AllocationMeasure.AssertNothingPerOperation(
            1_000,
            () =>
            {
                for (int i = 0; i < 1_000; i++)
                {
                    buffer.Reset();
                    AvroSerializer.Serialize(value, buffer);
                }
            },
            "Encoding into a pooled buffer");
    }

    [Fact]
    public void Decoding_a_record_of_scalars_allocates_only_the_record()
    {
        var value = new Measurement { Timestamp = 1, Value = 2 };
        byte[] bytes = AvroSerializer.SerializeToArray(new OrderLine("", 3, 1.5m));
        for (int i = 0; i < 10; i++)
        {
            AvroSerializer.Deserialize<OrderLine>(bytes);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        OrderLine line = AvroSerializer.Deserialize<OrderLine>(bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // One OrderLine object (header + string reference + int + decimal); the empty string is the shared instance.
        Assert.Same(string.Empty, line.Sku);
        Assert.InRange(allocated, 1, 48);
        Assert.Equal(value, AvroSerializer.Deserialize<Measurement>(AvroSerializer.SerializeToArray(value)));
    }
}
