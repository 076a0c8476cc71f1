using System.Buffers.Binary;
using Kappa.Sinks;
using Kappa.Transport;

namespace Kappa.Benchmarks.Sinks;

/// <summary>Fills a <see cref="SinkBatch{T}"/> with already-decoded rows, as the sink writer does after decoding its records.</summary>
internal static class SinkBatches
{
    public const int Rows = 10_000;

    public static SinkBatch<T> Fill<T>(string topic, IReadOnlyList<T> values)
    {
        var batch = new SinkBatch<T>(topic);
        Span<byte> key = stackalloc byte[8];
        for (int i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(key, i);
            var record = new ConsumedRecord(topic, i % 4, i / 4, 0, key, false, ReadOnlySpan<byte>.Empty, false, RecordHeaders.Empty);
            batch.Advance(record.Partition, record.Offset);
            batch.Add(in record, values[i], isTombstone: false);
        }

        return batch;
    }
}
