using System.Runtime.CompilerServices;

namespace Kappa.Buffers;

/// <summary>
/// Zig-zag variable-length integers, the encoding shared by Avro (int, long) and Kafka's record batch v2 (varint, varlong).
/// </summary>
public static class Varint
{
    /// <summary>Most bytes a zig-zag 64-bit value takes.</summary>
    public const int MaxLength64 = 10;

    /// <summary>Most bytes a zig-zag 32-bit value takes.</summary>
    public const int MaxLength32 = 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Number of bytes <see cref="Write"/> uses for this value.</summary>
    public static int SizeOf(long value)
    {
        ulong v = ZigZag(value);
        int n = 1;
        while (v >= 0x80)
        {
            v >>= 7;
            n++;
        }

        return n;
    }

    /// <summary>Writes a zig-zag varint; <paramref name="destination"/> must have room for <see cref="MaxLength64"/> bytes or <see cref="SizeOf"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<byte> destination, long value)
    {
        ulong v = ZigZag(value);
        int i = 0;
        while (v >= 0x80)
        {
            destination[i++] = (byte)(v | 0x80);
            v >>= 7;
        }

        destination[i++] = (byte)v;
        return i;
    }

    /// <summary>
    /// Reads a zig-zag varint of at most <paramref name="maxLength"/> bytes (5 for 32-bit, 10 for 64-bit values).
    /// Returns the bytes consumed, 0 when the input ends inside the number, or -1 when it is longer than allowed (corrupt).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryRead(ReadOnlySpan<byte> source, out long value, int maxLength = MaxLength64)
    {
        ulong result = 0;
        int shift = 0;
        for (int i = 0; i < source.Length; i++)
        {
            if (i >= maxLength)
            {
                value = 0;
                return -1;
            }

            byte b = source[i];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                value = UnZigZag(result);
                return i + 1;
            }

            shift += 7;
        }

        value = 0;
        return source.Length >= maxLength ? -1 : 0;
    }
}
