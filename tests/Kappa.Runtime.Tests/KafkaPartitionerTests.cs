using System.Text;
using Kappa.Transport;

namespace Kappa.Runtime.Tests;

public class KafkaPartitionerTests
{
    // Values of Kafka's murmur2 (as unsigned 32-bit) shared by the Java client, librdkafka's unit tests and kafka-python.
    [Theory]
    [InlineData("kafka", 0xd067cf64u)]
    [InlineData("giberish123456789", 0x8f552b0cu)]
    [InlineData("1234", 0x9fc97b14u)]
    [InlineData("234", 0xe7c009cau)]
    [InlineData("34", 0x873930dau)]
    [InlineData("4", 0x5a4b5ca1u)]
    [InlineData("", 0x106e08d9u)]
    public void Murmur2_MatchesKnownValues(string key, uint expected)
    {
        Assert.Equal(expected, (uint)KafkaPartitioner.Murmur2(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void Partition_IsPositiveHashModuloCount()
    {
        // toPositive(0xd067cf64) = 0x5067cf64 = 1348980580; 1348980580 % 7 = 1348980580 - 7*192711511 = 3.
        Assert.Equal(1348980580 % 7, KafkaPartitioner.Partition(Encoding.UTF8.GetBytes("kafka"), 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => KafkaPartitioner.Partition(Encoding.UTF8.GetBytes("kafka"), 0));
    }

    [Fact]
    public void Murmur2_AgreesWithKafkaPython_OnRandomKeys()
    {
        var random = new Random(7);
        var keys = new List<byte[]>();
        for (int i = 0; i < 300; i++)
        {
            byte[] k = new byte[random.Next(0, 40)];
            random.NextBytes(k);
            keys.Add(k);
        }

        string script = "import sys\nfrom kafka.partitioner.default import murmur2\nfor line in sys.stdin:\n    print(murmur2(bytearray(bytes.fromhex(line.strip()))) & 0xffffffff)\n";
        string input = string.Join("\n", keys.Select(Convert.ToHexString)) + "\n";
        string output = PythonRunner.Run(script, input);
        uint[] expected = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse).ToArray();
        Assert.Equal(keys.Count, expected.Length);
        for (int i = 0; i < keys.Count; i++)
        {
            Assert.Equal(expected[i], (uint)KafkaPartitioner.Murmur2(keys[i]));
        }
    }
}
