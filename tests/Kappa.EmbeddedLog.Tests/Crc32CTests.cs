using System.Text;
using Kappa.Log.Format;

namespace Kappa.Log.Tests;

public class Crc32CTests
{
    [Fact]
    public void CheckValue_Of123456789_IsTheCastagnoliCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0xE3069283u, ~Crc32C.UpdateSoftware(0xFFFFFFFFu, Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Rfc3720Vectors_Match()
    {
        // iSCSI (RFC 3720 B.4) test vectors: 32 bytes of zeros, of 0xFF, and ascending 0..31.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void HardwareAndSoftwarePaths_AgreeOnRandomData()
    {
        var random = new Random(42);
        for (int i = 0; i < 200; i++)
        {
            byte[] data = new byte[random.Next(0, 3000)];
            random.NextBytes(data);
            Assert.Equal(~Crc32C.UpdateSoftware(0xFFFFFFFFu, data), Crc32C.Compute(data));
        }
    }
}
