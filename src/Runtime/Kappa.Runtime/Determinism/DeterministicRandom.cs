using System.Buffers.Binary;
using System.Text;

namespace Kappa.Determinism;

/// <summary>
/// A <see cref="Random"/> whose sequence is fixed by its seed and by this class alone (xoshiro256** seeded by SplitMix64),
/// not by the .NET version: the same seed gives the same numbers on every runtime, so replays reproduce them.
/// Obtain one per record with <c>RecordContext.CreateRandom()</c>.
/// </summary>
public sealed class DeterministicRandom : Random
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DeterministicRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>A generator seeded from a record's position in the log and a stream number.</summary>
    public static DeterministicRandom FromRecord(string topic, int partition, long offset, int stream = 0)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (stream < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stream), stream, "The random stream number must be zero or positive.");
        }

        // FNV-1a 64 over utf8(topic) || partition || offset || stream, then mixed by SplitMix64 in the constructor.
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(topic))
        {
            h = (h ^ b) * 1099511628211UL;
        }

        Span<byte> tail = stackalloc byte[16];
        BinaryPrimitives.WriteInt32BigEndian(tail, partition);
        BinaryPrimitives.WriteInt64BigEndian(tail[4..], offset);
        BinaryPrimitives.WriteInt32BigEndian(tail[12..], stream);
        foreach (byte b in tail)
        {
            h = (h ^ b) * 1099511628211UL;
        }

        return new DeterministicRandom(h);
    }

    /// <summary>The next raw 64-bit value of the xoshiro256** sequence.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    public override int Next() => (int)(NextUInt64() >> 33);

    public override int Next(int maxValue)
    {
        if (maxValue < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "maxValue must be zero or positive.");
        }

        return (int)NextBelow((ulong)maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        if (minValue > maxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(minValue), minValue, "minValue must not exceed maxValue.");
        }

        return (int)((long)minValue + (long)NextBelow((ulong)((long)maxValue - minValue)));
    }

    public override long NextInt64() => (long)(NextUInt64() >> 1);

    public override long NextInt64(long maxValue)
    {
        if (maxValue < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "maxValue must be zero or positive.");
        }

        return (long)NextBelow((ulong)maxValue);
    }

    public override long NextInt64(long minValue, long maxValue)
    {
        if (minValue > maxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(minValue), minValue, "minValue must not exceed maxValue.");
        }

        return unchecked(minValue + (long)NextBelow((ulong)(maxValue - minValue)));
    }

    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    public override void NextBytes(Span<byte> buffer)
    {
        while (buffer.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, NextUInt64());
            buffer = buffer[8..];
        }

        if (!buffer.IsEmpty)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, NextUInt64());
            last[..buffer.Length].CopyTo(buffer);
        }
    }

    protected override double Sample() => NextDouble();

    // Unbiased value in [0, bound) by rejection (Lemire's multiply-shift would need 128-bit math; this is exact and simple).
    private ulong NextBelow(ulong bound)
    {
        if (bound <= 1)
        {
            return 0;
        }

        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold)
            {
                return r % bound;
            }
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
