using System.Security.Cryptography;
using System.Text;
using Kappa.Naming;
using Kappa.Transport;

namespace Kappa.Lifecycle;

/// <summary>
/// Compares one sink's output topic in two versions key by key: the latest value of each key (what compaction and the
/// serving table keep), hashed, so memory grows with the number of keys, not with their values.
/// </summary>
public static class OutputComparer
{
    private const int Samples = 5;

    public static OutputDiff Compare(IKappaTransport transport, string sink, int oldVersion, int newVersion)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Dictionary<string, string> old = Latest(transport, KappaNames.OutputTopic(sink, oldVersion));
        Dictionary<string, string> @new = Latest(transport, KappaNames.OutputTopic(sink, newVersion));
        long equal = 0, changed = 0, onlyNew = 0;
        var changedSamples = new List<string>();
        var onlyNewSamples = new List<string>();
        foreach (var (key, hash) in @new.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!old.TryGetValue(key, out string? before))
            {
                onlyNew++;
                Add(onlyNewSamples, key);
            }
            else if (before == hash)
            {
                equal++;
            }
            else
            {
                changed++;
                Add(changedSamples, key);
            }
        }

        string[] onlyOld = old.Keys.Where(k => !@new.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        return new OutputDiff
        {
            Sink = sink,
            Equal = equal,
            Changed = changed,
            OnlyInNew = onlyNew,
            OnlyInOld = onlyOld.Length,
            ChangedSamples = changedSamples,
            OnlyInNewSamples = onlyNewSamples,
            OnlyInOldSamples = onlyOld.Take(Samples).ToArray(),
        };
    }

    private static void Add(List<string> samples, string key)
    {
        if (samples.Count < Samples)
        {
            samples.Add(key);
        }
    }

    /// <summary>Key (as text) to a hash of its latest value; tombstones remove the key. A missing topic is empty.</summary>
    private static Dictionary<string, string> Latest(IKappaTransport transport, string topic)
    {
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        int partitions = transport.GetPartitionCount(topic) ?? 0;
        if (partitions == 0)
        {
            return latest;
        }

        var ends = new Dictionary<int, long>();
        var start = new List<TopicPartitionOffset>();
        for (int p = 0; p < partitions; p++)
        {
            WatermarkOffsets marks = transport.GetWatermarks(new TopicPartition(topic, p));
            if (marks.High > marks.Low)
            {
                ends[p] = marks.High;
                start.Add(new TopicPartitionOffset(topic, p, marks.Low));
            }
        }

        if (start.Count == 0)
        {
            return latest;
        }

        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "_kappa.verify.diff", ClientId = "kappa-verify-diff" });
        consumer.Assign(start);
        while (ends.Count > 0)
        {
            if (!consumer.TryConsume(TimeSpan.FromSeconds(10), out ConsumedRecord record))
            {
                // Records of aborted transactions and markers leave gaps before the end: the log is read when nothing more comes.
                break;
            }

            string key = record.KeyIsNull ? string.Empty : Describe(record.Key);
            if (record.ValueIsNull)
            {
                latest.Remove(key);
            }
            else
            {
                latest[key] = Convert.ToHexString(SHA256.HashData(record.Value));
            }

            if (ends.TryGetValue(record.Partition, out long end) && record.Offset + 1 >= end)
            {
                ends.Remove(record.Partition);
            }
        }

        consumer.Close();
        return latest;
    }

    /// <summary>ASCII-printable keys as they are, others as <c>0x</c> hex (as <see cref="Kappa.Processing.DeterminismCheck"/> reports keys).</summary>
    internal static string Describe(ReadOnlySpan<byte> key)
    {
        foreach (byte b in key)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return "0x" + Convert.ToHexString(key);
            }
        }

        return Encoding.ASCII.GetString(key);
    }
}
