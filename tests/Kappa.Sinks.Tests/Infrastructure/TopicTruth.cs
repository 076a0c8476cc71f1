using Kappa.Avro;
using Kappa.Transport;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>
/// What a table must hold, computed from the topic alone with plain code (no database, no sink writer): every record
/// of every partition, read through the transport from the log start to its end.
/// </summary>
public static class TopicTruth
{
    public sealed record Entry<T>(int Partition, long Offset, byte[] Key, T? Value);

    public static List<Entry<T>> ReadAll<T>(IKappaTransport transport, string topic)
        where T : IAvroRecord<T>
    {
        int partitions = transport.GetPartitionCount(topic) ?? throw new InvalidOperationException($"No topic {topic}.");
        var result = new List<Entry<T>>();
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "truth-" + Guid.NewGuid().ToString("N") });
        var ends = new Dictionary<int, long>();
        var assignment = new List<TopicPartitionOffset>();
        for (int p = 0; p < partitions; p++)
        {
            WatermarkOffsets marks = transport.GetWatermarks(new TopicPartition(topic, p));
            if (marks.High > marks.Low)
            {
                ends[p] = marks.High;
                assignment.Add(new TopicPartitionOffset(topic, p, marks.Low));
            }
        }

        consumer.Assign(assignment);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var next = new Dictionary<int, long>();
        while (ends.Any(e => next.GetValueOrDefault(e.Key) < e.Value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Reading {topic} back did not reach its end offsets within 60 s.");
            }

            if (consumer.TryConsume(TimeSpan.FromMilliseconds(200), out ConsumedRecord record))
            {
                T? value = record.ValueIsNull ? default : AvroSerializer.Deserialize<T>(record.Value);
                result.Add(new Entry<T>(record.Partition, record.Offset, record.Key.ToArray(), value));
                next[record.Partition] = record.Offset + 1;
            }
        }

        return result;
    }

    /// <summary>Upsert semantics: per partition in offset order, the last value per table key; a tombstone removes the rows its record key wrote.</summary>
    public static List<string[]> LatestPerKey<T>(IEnumerable<Entry<T>> records, Func<T, string> tableKey, Func<T, string[]> row)
    {
        var table = new Dictionary<string, (string Key, string[] Row)>();
        foreach (Entry<T> record in records.OrderBy(r => r.Partition).ThenBy(r => r.Offset))
        {
            string recordKey = Convert.ToHexString(record.Key);
            if (record.Value is null)
            {
                foreach (string k in table.Where(e => e.Value.Key == recordKey).Select(e => e.Key).ToList())
                {
                    table.Remove(k);
                }
            }
            else
            {
                table[tableKey(record.Value)] = (recordKey, row(record.Value));
            }
        }

        return table.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value.Row).ToList();
    }
}
