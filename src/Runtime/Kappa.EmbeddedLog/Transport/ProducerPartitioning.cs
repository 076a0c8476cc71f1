using Kappa.Transport;

namespace Kappa.Log.Transport;

/// <summary>How every embedded-log producer picks a record's partition, as Kafka's default partitioner does.</summary>
internal static class ProducerPartitioning
{
    /// <summary>
    /// The record's explicit partition (checked against <paramref name="count"/>), else murmur2 of its key, else the
    /// topic's current sticky partition for null keys.
    /// </summary>
    public static int Choose(in OutgoingRecord record, int count, int sticky)
    {
        if (record.Partition >= 0)
        {
            if (record.Partition >= count)
            {
                throw new KappaTransportException($"Cannot produce to {record.Topic}-{record.Partition}: topic '{record.Topic}' has {count} partition(s).");
            }

            return record.Partition;
        }

        return record.KeyIsNull ? sticky : KafkaPartitioner.Partition(record.Key, count);
    }
}
