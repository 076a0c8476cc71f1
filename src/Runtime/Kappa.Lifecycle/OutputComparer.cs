using System.Text;
using Kappa.Naming;
using Kappa.Transport;

namespace Kappa.Lifecycle;

/// <summary>
/// Compares one sink's output topic in two versions key by key: the latest value of each key (what compaction and the
/// serving table keep), as a fingerprint from an <see cref="IOutputValueReader"/> (bytes for plain Avro, decoded values
/// for Confluent-framed Avro), so memory grows with the number of keys, not with their values. Values of sample keys
/// are read again by offset to show them.
/// </summary>
public static class OutputComparer
{
    private const int Samples = 5;

    /// <summary>Compares the sink's values by their bytes (both versions write plain Avro).</summary>
    public static OutputDiff Compare(IKappaTransport transport, string sink, int oldVersion, int newVersion) =>
        Compare(transport, sink, oldVersion, newVersion, OutputValueReaders.Bytes);

    internal static OutputDiff Compare(IKappaTransport transport, string sink, int oldVersion, int newVersion, OutputValueReaders readers)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(readers);
        string oldTopic = KappaNames.OutputTopic(sink, oldVersion);
        string newTopic = KappaNames.OutputTopic(sink, newVersion);
        Dictionary<string, Latest> old = Read(transport, oldTopic, readers.Old);
        Dictionary<string, Latest> @new = Read(transport, newTopic, readers.New);
        long equal = 0, changed = 0, onlyNew = 0, unreadable = 0;
        var changedSamples = new List<string>();
        var onlyNewSamples = new List<string>();
        var unreadableSamples = new List<string>();
        var shown = new List<(string Key, Latest Old, Latest New)>();
        foreach (var (key, now) in @new.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!old.TryGetValue(key, out Latest before))
            {
                onlyNew++;
                Add(onlyNewSamples, key);
            }
            else if (before.Value.Problem is not null || now.Value.Problem is not null)
            {
                unreadable++;
                Add(unreadableSamples, $"{key} ({Problems(oldVersion, before.Value, newVersion, now.Value)})");
            }
            else if (before.Value.Fingerprint == now.Value.Fingerprint)
            {
                equal++;
            }
            else
            {
                changed++;
                Add(changedSamples, key);
                if (shown.Count < Samples && readers.Old.ShowsValues && readers.New.ShowsValues)
                {
                    shown.Add((key, before, now));
                }
            }
        }

        string[] onlyOld = old.Keys.Where(k => !@new.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        return new OutputDiff
        {
            Sink = sink,
            Comparison = readers.Comparison,
            Equal = equal,
            Changed = changed,
            OnlyInNew = onlyNew,
            OnlyInOld = onlyOld.Length,
            Unreadable = unreadable,
            ChangedSamples = changedSamples,
            ChangedValues = shown.Count == 0 ? [] : Show(transport, oldTopic, newTopic, readers, shown),
            OnlyInNewSamples = onlyNewSamples,
            OnlyInOldSamples = onlyOld.Take(Samples).ToArray(),
            UnreadableSamples = unreadableSamples,
        };
    }

    /// <summary><c>v1: reason; v2: reason</c> for the sides that could not be read.</summary>
    private static string Problems(int oldVersion, OutputValue old, int newVersion, OutputValue now)
    {
        var problems = new List<string>(2);
        if (old.Problem is not null)
        {
            problems.Add($"v{oldVersion}: {old.Problem}");
        }

        if (now.Problem is not null)
        {
            problems.Add($"v{newVersion}: {now.Problem}");
        }

        return string.Join("; ", problems);
    }

    private static void Add(List<string> samples, string key)
    {
        if (samples.Count < Samples)
        {
            samples.Add(key);
        }
    }

    /// <summary>Key (as text) to its latest value's fingerprint and position; tombstones remove the key. A missing topic is empty.</summary>
    private static Dictionary<string, Latest> Read(IKappaTransport transport, string topic, IOutputValueReader reader)
    {
        var latest = new Dictionary<string, Latest>(StringComparer.Ordinal);
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

        using IKappaConsumer consumer = CreateConsumer(transport);
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
                latest[key] = new Latest(reader.Read(record.Value), record.Partition, record.Offset);
            }

            if (ends.TryGetValue(record.Partition, out long end) && record.Offset + 1 >= end)
            {
                ends.Remove(record.Partition);
            }
        }

        consumer.Close();
        return latest;
    }

    /// <summary>The old and new values of the sample keys, read again at their offsets.</summary>
    private static ChangedValue[] Show(IKappaTransport transport, string oldTopic, string newTopic, OutputValueReaders readers, List<(string Key, Latest Old, Latest New)> shown)
    {
        using IKappaConsumer consumer = CreateConsumer(transport);
        var values = new ChangedValue[shown.Count];
        for (int i = 0; i < shown.Count; i++)
        {
            (string key, Latest old, Latest now) = shown[i];
            values[i] = new ChangedValue(key, Show(consumer, oldTopic, old, readers.Old), Show(consumer, newTopic, now, readers.New));
        }

        consumer.Close();
        return values;
    }

    private static string Show(IKappaConsumer consumer, string topic, Latest latest, IOutputValueReader reader)
    {
        consumer.Assign([new TopicPartitionOffset(topic, latest.Partition, latest.Offset)]);
        while (consumer.TryConsume(TimeSpan.FromSeconds(10), out ConsumedRecord record))
        {
            if (record.Topic == topic && record.Partition == latest.Partition && record.Offset == latest.Offset)
            {
                return reader.Show(record.Value) ?? "?";
            }

            if (record.Offset > latest.Offset)
            {
                break;
            }
        }

        return $"? (offset {latest.Offset} of {topic}[{latest.Partition}] could not be read again)";
    }

    private static IKappaConsumer CreateConsumer(IKappaTransport transport) =>
        transport.CreateConsumer(new ConsumerSettings { GroupId = "_kappa.verify.diff", ClientId = "kappa-verify-diff" });

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

    private readonly record struct Latest(OutputValue Value, int Partition, long Offset);
}
