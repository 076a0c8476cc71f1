using System;

namespace Kappa.Avro;

/// <summary>
/// CRC-64-AVRO, the Rabin fingerprint of the Avro specification. One implementation for build time and run time: this
/// file is also compiled into Kappa.Generators (linked source), which computes fingerprints as constants, while
/// <see cref="AvroFingerprint"/> exposes it at run time. Keep it netstandard2.0-compatible.
/// </summary>
internal static class Crc64Avro
{
    /// <summary>The spec's EMPTY value: the fingerprint of zero bytes.</summary>
    public const ulong Empty = 0xc15d213aa4d7a795UL;

    private static readonly ulong[] Table = CreateTable();

    public static long Compute(ReadOnlySpan<byte> bytes)
    {
        ulong fp = Empty;
        foreach (byte b in bytes)
        {
            fp = (fp >> 8) ^ Table[(int)(fp ^ b) & 0xff];
        }

        return unchecked((long)fp);
    }

    /// <summary>Fingerprint of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static long Compute(string text) => Compute(System.Text.Encoding.UTF8.GetBytes(text));

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
