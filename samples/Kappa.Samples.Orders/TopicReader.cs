using System.Security.Cryptography;
using Kappa.Transport;

namespace Kappa.Samples.Orders;

/// <summary>Reads a whole topic from the log start to the current log end, outside any consumer group.</summary>
public static class TopicReader
{
    /// <summary>Calls <paramref name="visit"/> for every record, partition by partition in offset order.</summary>
    public static long ReadAll(IKappaTransport transport, string topic, RecordVisitor visit)
    {
        int partitions = transport.GetPartitionCount(topic) ?? throw new InvalidOperationException($"Topic '{topic}' does not exist.");
        long total = 0;
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "sample.reader" });
        for (int p = 0; p < partitions; p++)
        {
            WatermarkOffsets marks = transport.GetWatermarks(new TopicPartition(topic, p));
            if (marks.High <= marks.Low)
            {
                continue;
            }

            consumer.Assign([new TopicPartitionOffset(topic, p, marks.Low)]);
            long next = marks.Low;
            while (next < marks.High)
            {
                if (!consumer.TryConsume(TimeSpan.FromSeconds(5), out ConsumedRecord record))
                {
                    throw new TimeoutException($"No record from {topic}-{p} at offset {next} though the log ends at {marks.High}.");
                }

                visit(record);
                next = record.Offset + 1;
                total++;
            }
        }

        return total;
    }

    /// <summary>SHA-256 over every record's partition, offset, timestamp, key and value: equal logs, equal checksums.</summary>
    public static string Checksum(IKappaTransport transport, string topic)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] header = new byte[20];
        ReadAll(transport, topic, (in ConsumedRecord r) =>
        {
            BitConverter.TryWriteBytes(header, r.Partition);
            BitConverter.TryWriteBytes(header.AsSpan(4), r.Offset);
            BitConverter.TryWriteBytes(header.AsSpan(12), r.TimestampMs);
            hash.AppendData(header);
            hash.AppendData(r.Key);
            hash.AppendData(r.Value);
        });
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    public delegate void RecordVisitor(in ConsumedRecord record);
}
