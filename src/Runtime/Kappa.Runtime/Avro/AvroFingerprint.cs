using System.Text;

namespace Kappa.Avro;

/// <summary>CRC-64-AVRO, the Rabin fingerprint the Avro specification defines over a schema's Parsing Canonical Form.</summary>
public static class AvroFingerprint
{
    /// <summary>The spec's EMPTY value: the fingerprint of zero bytes.</summary>
    public const ulong Empty = 0xc15d213aa4d7a795UL;

    private static readonly ulong[] Table = CreateTable();

    /// <summary>Fingerprint of the UTF-8 bytes of <paramref name="canonicalJson"/> (which should be in Parsing Canonical Form).</summary>
    public static long Compute(string canonicalJson)
    {
        ArgumentNullException.ThrowIfNull(canonicalJson);
        return Compute(Encoding.UTF8.GetBytes(canonicalJson));
    }

    /// <summary>Fingerprint of raw bytes.</summary>
    public static long Compute(ReadOnlySpan<byte> bytes)
    {
        ulong fp = Empty;
        foreach (byte b in bytes)
        {
            fp = (fp >> 8) ^ Table[(int)(fp ^ b) & 0xff];
        }

        return (long)fp;
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
