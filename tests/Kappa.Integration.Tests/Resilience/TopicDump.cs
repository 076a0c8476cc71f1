using System.Text;
using Kappa.Transport;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>Reads every record of a topic (all partitions) with a bounded wait; read_committed by default.</summary>
internal static class TopicDump
{
    public sealed record Record(int Partition, long Offset, string Key, byte[] Value);

    /// <summary>Expect at least one record per partition (for topics like changelogs whose record count is not known).</summary>
    public static long[] AtLeastOne(int partitions) => Enumerable.Repeat(1L, partitions).ToArray();

    /// <summary>
    /// Reads until every partition was read to its high watermark, or, when the tail is a transaction marker or aborted
    /// records that read_committed hides, until each partition delivered at least <paramref name="expectedPerPartition"/>
    /// records and nothing more arrived for a while. Gives up after <paramref name="timeout"/> and returns what it has
    /// (the caller's assertions then name what is missing).
    /// </summary>
    public static List<Record> ReadAll(IKappaTransport transport, string topic, int partitions, long[] expectedPerPartition, TimeSpan timeout, bool readCommitted = true)
    {
        var records = new List<Record>();
        var high = new long[partitions];
        var last = new long[partitions];
        var count = new long[partitions];
        for (int p = 0; p < partitions; p++)
        {
            high[p] = transport.GetWatermarks(new TopicPartition(topic, p)).High;
            last[p] = -1;
        }

        using var consumer = transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = "crash-test-verify",
            ClientId = "crash-test-verify",
            ReadCommitted = readCommitted,
        });
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, -2)).ToList());
        var deadline = DateTime.UtcNow + timeout;
        var idleSince = DateTime.UtcNow;
        while (true)
        {
            bool allAtEnd = true, allExpected = true;
            for (int p = 0; p < partitions; p++)
            {
                allAtEnd &= last[p] + 1 >= high[p];
                allExpected &= count[p] >= expectedPerPartition[p] || last[p] + 2 >= high[p]; // a transaction marker may end it
            }

            if (allAtEnd || (allExpected && DateTime.UtcNow - idleSince > TimeSpan.FromSeconds(1.5)) || DateTime.UtcNow > deadline)
            {
                break;
            }

            if (consumer.TryConsume(TimeSpan.FromMilliseconds(100), out ConsumedRecord r))
            {
                idleSince = DateTime.UtcNow;
                records.Add(new Record(r.Partition, r.Offset, Encoding.UTF8.GetString(r.Key), r.Value.ToArray()));
                last[r.Partition] = r.Offset;
                count[r.Partition]++;
            }
        }

        consumer.Close();
        return records;
    }
}
