using System.Diagnostics;
using Kappa.Naming;
using Kappa.Sinks;
using Kappa.Transport;

namespace Kappa.Lifecycle;

/// <summary>
/// How many records of a version's output topic its table has not applied yet, measured from the outside (no writer
/// needed): the offsets the table committed with its rows (<see cref="ISinkDatabase.GetCommittedOffsets"/>) against the
/// topic's end. A processor's outputs are written in transactions, so the end of a topic is usually a commit marker that
/// no reader is ever given (and there may be aborted records, hidden from read_committed readers): end minus committed
/// is only an upper bound. When that bound is over the threshold, the records are counted by reading them, from the
/// committed offsets, until the threshold is passed or every partition's position reaches its end.
/// </summary>
internal static class SinkTableLag
{
    /// <summary>
    /// The records of <paramref name="target"/>'s topic not in its table: exact when the result is at most
    /// <paramref name="threshold"/>; otherwise an upper bound (reading stops as soon as the threshold is passed, or when
    /// <paramref name="budget"/> runs out).
    /// </summary>
    public static long Measure(IKappaTransport transport, ISinkDatabase database, SinkTarget target, long threshold, TimeSpan budget)
    {
        IReadOnlyDictionary<int, long> committed = database.GetCommittedOffsets(target);
        int partitions = transport.GetPartitionCount(target.Topic) ?? 0;
        var ends = new Dictionary<TopicPartition, long>();
        var from = new List<TopicPartitionOffset>();
        long bound = 0;
        for (int p = 0; p < partitions; p++)
        {
            var partition = new TopicPartition(target.Topic, p);
            WatermarkOffsets marks = transport.GetWatermarks(partition);
            long next = Math.Max(committed.TryGetValue(p, out long offset) ? offset : marks.Low, marks.Low);
            if (marks.High > next)
            {
                bound += marks.High - next;
                ends[partition] = marks.High;
                from.Add(new TopicPartitionOffset(partition.Topic, partition.Partition, next));
            }
        }

        return bound <= threshold ? bound : Count(transport, target, from, ends, threshold, budget) ?? bound;
    }

    /// <summary>The records (of committed transactions) left in <paramref name="from"/>; null when more than <paramref name="threshold"/> or not known within the budget.</summary>
    private static long? Count(IKappaTransport transport, SinkTarget target, List<TopicPartitionOffset> from, Dictionary<TopicPartition, long> ends, long threshold, TimeSpan budget)
    {
        string probe = KappaNames.SinkWriterGroup(target.Sink, target.Version) + ".lag";
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = probe, ClientId = probe, ReadCommitted = true });
        consumer.Assign(from);
        long count = 0;
        long started = Stopwatch.GetTimestamp();
        try
        {
            while (ends.Count > 0)
            {
                if (consumer.TryConsume(TimeSpan.FromMilliseconds(100), out ConsumedRecord record))
                {
                    var partition = new TopicPartition(record.Topic, record.Partition);
                    if (ends.TryGetValue(partition, out long end) && record.Offset < end && ++count > threshold)
                    {
                        return null;
                    }
                }

                // Past the last record there may be only markers and aborted records: the position says so.
                foreach (TopicPartition partition in ends.Keys.Where(p => consumer.Position(p) >= ends[p]).ToArray())
                {
                    ends.Remove(partition);
                }

                if (ends.Count > 0 && Stopwatch.GetElapsedTime(started) > budget)
                {
                    return null;
                }
            }

            return count;
        }
        finally
        {
            consumer.Close();
        }
    }
}
