using System.Text;

namespace Kappa.Generators.Avro;

/// <summary>CRC-64-AVRO (the Avro specification's Rabin fingerprint), computed at build time over the canonical form.</summary>
internal static class Crc64Avro
{
    private const ulong Empty = 0xc15d213aa4d7a795UL;

    private static readonly ulong[] Table = CreateTable();

    public static long Compute(string text)
    {
        ulong fp = Empty;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            fp = (fp >> 8) ^ Table[(int)(fp ^ b) & 0xff];
        }

        return unchecked((long)fp);
    }

    private static ulong[] CreateTable()
    {
        var table = new ulong[256];
        for (int i = 0; i < 256; i++)
        {
            ulong fp = (ulong)i;
            for (int j = 0; j < 8; j++)
            {
                fp = (fp >> 1) ^ (Empty & (0UL - (fp & 1)));
            }

            table[i] = fp;
        }

        return table;
    }
}
