using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>Reads a dead-letter topic back: each record's offset of origin, reason, error and database code headers.</summary>
public static class DeadLetterReader
{
    public sealed record DeadLetter(int Partition, long Offset, string Reason, string Error, string Code, string Table, bool ValueIsNull, byte[] Value);

    public static List<DeadLetter> ReadAll(IKappaTransport transport, string topic)
    {
        var result = new List<DeadLetter>();
        if (transport.GetPartitionCount(topic) is not int partitions)
        {
            return result;
        }

        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "dlq-" + Guid.NewGuid().ToString("N") });
        long total = 0;
        var assignment = new List<TopicPartitionOffset>();
        for (int p = 0; p < partitions; p++)
        {
            WatermarkOffsets marks = transport.GetWatermarks(new TopicPartition(topic, p));
            total += marks.High - marks.Low;
            assignment.Add(new TopicPartitionOffset(topic, p, marks.Low));
        }

        consumer.Assign(assignment);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (result.Count < total && DateTime.UtcNow < deadline)
        {
            if (consumer.TryConsume(TimeSpan.FromMilliseconds(200), out ConsumedRecord r))
            {
                RecordHeaders h = r.Headers;
                result.Add(new DeadLetter(
                    int.Parse(h.GetLastString(DeadLetterHeaders.Partition)!, System.Globalization.CultureInfo.InvariantCulture),
                    long.Parse(h.GetLastString(DeadLetterHeaders.Offset)!, System.Globalization.CultureInfo.InvariantCulture),
                    h.GetLastString(DeadLetterHeaders.Reason) ?? string.Empty,
                    h.GetLastString(DeadLetterHeaders.Error) ?? string.Empty,
                    h.GetLastString(DeadLetterHeaders.DatabaseCode) ?? string.Empty,
                    h.GetLastString(DeadLetterHeaders.SinkTable) ?? string.Empty,
                    r.ValueIsNull,
                    r.Value.ToArray()));
            }
        }

        return result;
    }
}
