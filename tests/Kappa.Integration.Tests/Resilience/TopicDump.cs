using System.Text;
using Kappa.Transport;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>Reads every record of a topic (all partitions), read_committed by default, to the end offsets taken at the start.</summary>
internal static class TopicDump
{
    public sealed record Record(int Partition, long Offset, string Key, byte[] Value);

    /// <summary>
    /// Reads until the consumer's position in every partition reached the partition's end offset taken when the read
    /// started (the position counts transaction markers and aborted records that read_committed never delivers). Fails
    /// the test, naming the partition, if that does not happen within <paramref name="timeout"/>: a partial read would
    /// make the verification wrong, never just weaker.
    /// </summary>
    public static List<Record> ReadAll(IKappaTransport transport, string topic, int partitions, TimeSpan timeout, bool readCommitted = true)
    {
        var records = new List<Record>();
        var start = new List<TopicPartitionOffset>();
        var end = new long[partitions];
        for (int p = 0; p < partitions; p++)
        {
            WatermarkOffsets marks = transport.GetWatermarks(new TopicPartition(topic, p));
            end[p] = marks.High;
            start.Add(new TopicPartitionOffset(topic, p, marks.Low));
        }

        using var consumer = transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = "crash-test-verify",
            ClientId = "crash-test-verify",
            ReadCommitted = readCommitted,
        });
        consumer.Assign(start);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            int behind = Enumerable.Range(0, partitions).FirstOrDefault(p => consumer.Position(new TopicPartition(topic, p)) < end[p], -1);
            if (behind < 0)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Reading {topic}: partition {behind} stayed at position {consumer.Position(new TopicPartition(topic, behind))}, below its end offset {end[behind]}, for {timeout} ({records.Count} records read).");
            }

            if (consumer.TryConsume(TimeSpan.FromMilliseconds(100), out ConsumedRecord r) && r.Offset < end[r.Partition])
            {
                records.Add(new Record(r.Partition, r.Offset, Encoding.UTF8.GetString(r.Key), r.Value.ToArray()));
            }
        }

        consumer.Close();
        return records;
    }
}
