using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kappa.State;

/// <summary>
/// The hash <see cref="KeyValueStore{TState}"/> places keys with: a fast, non-cryptographic hash of the key bytes,
/// seeded at random once per process (so the placement of keys in a table differs between processes and cannot be
/// predicted from outside). Process-local only: never persisted, never used for an order anything observes.
/// Keys of up to <see cref="InlineLength"/> bytes are hashed from their two little-endian 64-bit words
/// (<see cref="LoadInline"/>); longer keys 16 bytes at a time. The mixing step is a 64x64->128-bit multiply folded
/// with xor.
/// </summary>
internal static class KeyHash
{
    /// <summary>Keys up to this length are held in a table slot itself (two 64-bit words), longer ones in a key arena.</summary>
    public const int InlineLength = 16;

    private static readonly ulong Seed0;
    private static readonly ulong Seed1;
    private static readonly ulong Seed2;

#pragma warning disable CA1810 // one call fills all three seeds
    static KeyHash()
#pragma warning restore CA1810
    {
        Span<ulong> seeds = stackalloc ulong[3];
        System.Security.Cryptography.RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(seeds));
        // Odd and with bits spread over the word, so no seed makes a multiply degenerate.
        Seed0 = seeds[0] | 0x8000_0000_0000_0001UL;
        Seed1 = seeds[1] | 0x8000_0000_0000_0001UL;
        Seed2 = seeds[2] | 0x8000_0000_0000_0001UL;
    }

    /// <summary>
    /// The bytes of a key of at most <see cref="InlineLength"/> bytes as two little-endian words, zero-padded
    /// (<paramref name="low"/> = bytes 0-7, <paramref name="high"/> = bytes 8-15). Together with the length this is
    /// the key: <see cref="StoreInline"/> gives the bytes back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadInline(ReadOnlySpan<byte> key, out ulong low, out ulong high)
    {
        int length = key.Length;
        ref byte b = ref MemoryMarshal.GetReference(key);
        if (length >= 8)
        {
            low = Read64(ref b, 0);
            // Bytes length-8 .. length-1, shifted down so byte 8 is the lowest (they overlap the low word when length < 16).
            high = length == 8 ? 0 : Read64(ref b, length - 8) >> (8 * (16 - length));
        }
        else if (length >= 4)
        {
            ulong head = Read32(ref b, 0);
            ulong tail = Read32(ref b, length - 4);
            low = head | ((tail >> (8 * (8 - length))) << 32);
            high = 0;
        }
        else
        {
            low = length switch
            {
                0 => 0,
                1 => b,
                2 => b | ((ulong)Unsafe.Add(ref b, 1) << 8),
                _ => b | ((ulong)Unsafe.Add(ref b, 1) << 8) | ((ulong)Unsafe.Add(ref b, 2) << 16),
            };
            high = 0;
        }
    }

    /// <summary>Writes a key loaded by <see cref="LoadInline"/> back as bytes (<paramref name="destination"/> is the key's length).</summary>
    public static void StoreInline(ulong low, ulong high, Span<byte> destination)
    {
        Span<byte> words = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(words, low);
        BinaryPrimitives.WriteUInt64LittleEndian(words[8..], high);
        words[..destination.Length].CopyTo(destination);
    }

    /// <summary>The hash of an inline key from its words and its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Inline(ulong low, ulong high, int length)
    {
        ulong h = Mix(low ^ Seed0, high ^ Seed1 ^ (ulong)length);
        return (uint)h ^ (uint)(h >> 32);
    }

    /// <summary>The hash of a key longer than <see cref="InlineLength"/> bytes.</summary>
    public static uint Long(ReadOnlySpan<byte> key)
    {
        int length = key.Length;
        ref byte b = ref MemoryMarshal.GetReference(key);
        ulong h = Seed2 ^ (ulong)length;
        int offset = 0;
        for (; length - offset > 16; offset += 16)
        {
            h = Mix(Read64(ref b, offset) ^ Seed0, Read64(ref b, offset + 8) ^ h);
        }

        // The last 16 bytes (overlapping the previous block unless the length is a multiple of 16).
        h = Mix(Read64(ref b, length - 16) ^ Seed1, Read64(ref b, length - 8) ^ h);
        h = Mix(h ^ Seed2, (ulong)length ^ Seed0);
        return (uint)h ^ (uint)(h >> 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong a, ulong b)
    {
        UInt128 product = Math.BigMul(a, b);
        return (ulong)(product >> 64) ^ (ulong)product;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Read64(ref byte b, int offset)
    {
        ulong value = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, offset));
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Read32(ref byte b, int offset)
    {
        uint value = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, offset));
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }
}
