using Kappa.Avro;

namespace Kappa.Runtime.Tests.Avro;

public class AvroFingerprintTests
{
    // Values from the Apache Avro test suite (share/test/data/schema-tests.txt, CRC-64-AVRO of the canonical form).
    [Theory]
    [InlineData("\"null\"", 7195948357588979594L)]
    [InlineData("\"boolean\"", -6970731678124411036L)]
    [InlineData("\"int\"", 8247732601305521295L)]
    [InlineData("\"long\"", -3434872931120570953L)]
    [InlineData("\"string\"", -8142146995180207161L)]
    public void Matches_reference_values(string canonical, long expected)
    {
        Assert.Equal(expected, AvroFingerprint.Compute(canonical));
    }

    [Fact]
    public void Empty_input_gives_the_spec_empty_value()
    {
        Assert.Equal(unchecked((long)AvroFingerprint.Empty), AvroFingerprint.Compute(string.Empty));
    }

    [Fact]
    public void Generated_constant_equals_runtime_computation()
    {
        Assert.Equal(AvroFingerprint.Compute(Customer.AvroCanonicalSchema), Customer.AvroFingerprint);
        Assert.Equal(AvroFingerprint.Compute(Address.AvroCanonicalSchema), Address.AvroFingerprint);
    }
}
