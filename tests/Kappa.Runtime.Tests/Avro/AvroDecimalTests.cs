using System.Buffers;
using Kappa.Avro;

namespace Kappa.Runtime.Tests.Avro;

/// <summary>The decimal logical type through the writer and reader directly, across the 64-bit fast path and the 128-bit path.</summary>
public class AvroDecimalTests
{
    public static TheoryData<string, int, int> Values => new()
    {
        { "0", 1, 0 },
        { "-1", 1, 0 },
        { "127", 3, 0 },
        { "128", 3, 0 },
        { "-128", 3, 0 },
        { "-129", 3, 0 },
        { "1.5", 10, 2 },
        { "-0.01", 10, 2 },
        { "999999999999999999", 18, 0 },
        { "-999999999999999999", 18, 0 },
        { "9223372036854775807", 19, 0 },
        { "-9223372036854775808", 19, 0 },
        { "79228162514264337593543950335", 29, 0 },
        { "-79228162514264337593543950335", 38, 0 },
        { "1.2345678901234567890123456789", 29, 28 },
        { "123456.789", 38, 20 },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Round_trips_exactly_and_uses_minimal_twos_complement(string text, int precision, int scale)
    {
        decimal value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var output = new ArrayBufferWriter<byte>();
        var writer = new AvroWriter(output);
        Assert.True(writer.TryWriteDecimal(value, precision, scale));
        writer.Flush();
        byte[] bytes = output.WrittenSpan.ToArray();

        var expected = System.Numerics.BigInteger.Parse(
            decimal.Round(value * 1, scale).ToString("F" + scale, System.Globalization.CultureInfo.InvariantCulture).Replace(".", string.Empty),
            System.Globalization.CultureInfo.InvariantCulture);
        byte[] unscaled = expected.ToByteArray(isUnsigned: false, isBigEndian: true);
        Assert.Equal(unscaled, bytes.AsSpan(1).ToArray());

        var reader = new AvroReader(bytes, "T");
        Assert.Equal(value, reader.ReadDecimal(scale));
        reader.EnsureEnd();
    }

    [Theory]
    [InlineData("0.001", 10, 2)]
    [InlineData("100", 2, 0)]
    [InlineData("10000000000000000", 18, 2)]
    [InlineData("79228162514264337593543950335", 38, 10)]
    public void Values_that_do_not_fit_are_refused(string text, int precision, int scale)
    {
        decimal value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var output = new ArrayBufferWriter<byte>();
        var writer = new AvroWriter(output);
        Assert.False(writer.TryWriteDecimal(value, precision, scale));
        writer.Flush();
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Unscaled_values_beyond_System_Decimal_are_decode_errors()
    {
        // 2^100 as 13 bytes, scale 0.
        byte[] bytes = [0x1A, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var ex = Assert.Throws<AvroDecodeException>(() => new AvroReader(bytes, "T").ReadDecimal(0));
        Assert.Contains("does not fit System.Decimal", ex.Message);
    }

    [Fact]
    public void Sign_extended_long_encodings_from_other_writers_are_accepted()
    {
        // -1 written as 20 bytes of 0xFF (valid two's complement, not minimal).
        byte[] bytes = [0x28, .. Enumerable.Repeat((byte)0xFF, 20)];
        Assert.Equal(-0.01m, new AvroReader(bytes, "T").ReadDecimal(2));
    }
}
