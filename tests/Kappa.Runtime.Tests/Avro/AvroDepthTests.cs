using Kappa.Avro;

namespace Kappa.Runtime.Tests.Avro;

/// <summary>Deep nesting: hostile input cannot overflow the stack, and cyclic graphs fail to encode with a clear error.</summary>
public class AvroDepthTests
{
    private static Customer Chain(int depth)
    {
        var customer = new Customer { Name = "c0" };
        for (int i = 1; i < depth; i++)
        {
            customer = new Customer { Name = "c" + i, Referrer = customer };
        }

        return customer;
    }

    [Fact]
    public void Nesting_within_the_limit_round_trips()
    {
        var back = AvroSerializer.Deserialize<Customer>(AvroSerializer.SerializeToArray(Chain(AvroReader.MaxDepth)));
        int depth = 0;
        for (Customer? c = back; c is not null; c = c.Referrer)
        {
            depth++;
        }

        Assert.Equal(AvroReader.MaxDepth, depth);
    }

    [Fact]
    public void Hostile_deep_nesting_is_a_decode_error_not_a_stack_overflow()
    {
        // Each level: Name "" (00), Age 0 (00), Addresses [] (00), Email null (00), Referrer present (02). 100,000 levels.
        var bytes = new List<byte>();
        for (int i = 0; i < 100_000; i++)
        {
            bytes.AddRange([0x00, 0x00, 0x00, 0x00, 0x02]);
        }

        var ex = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<Customer>(bytes.ToArray()));
        Assert.Contains("nested more than", ex.Message);
        Assert.StartsWith("Referrer.Referrer.", ex.FieldName);
    }

    [Fact]
    public void Cyclic_graph_is_an_encode_error()
    {
        var customer = new Customer { Name = "loop" };
        customer.Referrer = customer;
        var ex = Assert.Throws<AvroEncodeException>(() => AvroSerializer.SerializeToArray(customer));
        Assert.Contains("cyclic", ex.Message);
    }
}
