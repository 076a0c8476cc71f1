namespace Kappa.Transport;

/// <summary>
/// Kafka's default key partitioner, bit-compatible with the Java client (<c>Utils.murmur2</c>, then
/// <c>toPositive(hash) % numPartitions</c>), librdkafka's <c>murmur2_random</c> and kafka-python: the same key lands in
/// the same partition on the embedded log and on Kafka.
/// </summary>
public static class KafkaPartitioner
{
    /// <summary>The partition for a non-null key.</summary>
    public static int Partition(ReadOnlySpan<byte> key, int partitionCount)
    {
        if (partitionCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(partitionCount), partitionCount, "A topic has at least one partition.");
        }

        return (Murmur2(key) & 0x7FFFFFFF) % partitionCount;
    }

    /// <summary>MurmurHash2 (32-bit, seed 0x9747b28c) exactly as Kafka's Java <c>Utils.murmur2</c> computes it.</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        int length = data.Length;
        uint h = 0x9747b28cu ^ (uint)length;
        int length4 = length & ~3;
        for (int i = 0; i < length4; i += 4)
        {
            uint k = data[i] | ((uint)data[i + 1] << 8) | ((uint)data[i + 2] << 16) | ((uint)data[i + 3] << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        switch (length & 3)
        {
            case 3:
                h ^= (uint)data[length4 + 2] << 16;
                h ^= (uint)data[length4 + 1] << 8;
                h ^= data[length4];
                h *= m;
                break;
            case 2:
                h ^= (uint)data[length4 + 1] << 8;
                h ^= data[length4];
                h *= m;
                break;
            case 1:
                h ^= data[length4];
                h *= m;
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}
