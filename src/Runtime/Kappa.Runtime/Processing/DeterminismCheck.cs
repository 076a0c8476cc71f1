using System.Security.Cryptography;
using System.Text;
using Kappa.State;
using Kappa.Transport;

namespace Kappa.Processing;

/// <summary>
/// Runs one processor version twice over the same input range, each time in isolation (a fresh processor from the
/// factory, fresh in-memory state, its outputs captured in memory: no output topic, changelog or consumer group is
/// touched), and compares per key the checksum of the outputs (in order) and of the final state. Equal runs are what
/// replaying a Kappa log relies on; the first differing key is reported. This is the engine of <c>kappa verify</c>.
/// </summary>
public static class DeterminismCheck
{
    /// <summary>
    /// Checks <typeparamref name="TProcessor"/> over its input topics on <paramref name="transport"/>, from
    /// <paramref name="start"/> (default: each partition's log start) to <paramref name="end"/> (exclusive; default:
    /// each partition's end when the check starts). State starts empty at <paramref name="start"/>.
    /// <paramref name="schemaRegistry"/> is required when the processor reads or writes Confluent-framed values.
    /// </summary>
    public static DeterminismReport Run<TProcessor>(
        Func<TProcessor> factory,
        IKappaTransport transport,
        IReadOnlyList<TopicPartitionOffset>? start = null,
        IReadOnlyList<TopicPartitionOffset>? end = null,
        Avro.Registry.ISchemaRegistry? schemaRegistry = null)
        where TProcessor : class, IStreamProcessor<TProcessor>
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(transport);
        ProcessorDescriptor descriptor = TProcessor.KappaDescriptor;
        if (descriptor.NeedsSchemaRegistry && schemaRegistry is null)
        {
            throw new ArgumentNullException(nameof(schemaRegistry), ProcessorRunner.MissingRegistryMessage(descriptor));
        }

        Dictionary<TopicPartition, (long Start, long End)> range = Range(descriptor, transport, start, end);

        Capture first = RunOnce(Dispatcher(factory, schemaRegistry), descriptor, transport, range);
        Capture second = RunOnce(Dispatcher(factory, schemaRegistry), descriptor, transport, range);

        DeterminismDifference? difference = FirstDifference(first.Outputs, second.Outputs) ?? FirstDifference(first.States, second.States);
        return new DeterminismReport(
            descriptor.Id,
            first.Records,
            Combined(first.Outputs),
            Combined(second.Outputs),
            Combined(first.States),
            Combined(second.States),
            difference);
    }

    private static IProcessorDispatcher Dispatcher<TProcessor>(Func<TProcessor> factory, Avro.Registry.ISchemaRegistry? schemaRegistry)
        where TProcessor : class, IStreamProcessor<TProcessor>
    {
        IProcessorDispatcher dispatcher = TProcessor.CreateKappaDispatcher(factory());
        if (schemaRegistry is not null && TProcessor.KappaDescriptor.NeedsSchemaRegistry)
        {
            dispatcher.AttachSchemaRegistryAsync(schemaRegistry).AsTask().GetAwaiter().GetResult();
        }

        return dispatcher;
    }

    internal static string Describe(byte[] key)
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

    private static Dictionary<TopicPartition, (long Start, long End)> Range(
        ProcessorDescriptor descriptor,
        IKappaTransport transport,
        IReadOnlyList<TopicPartitionOffset>? start,
        IReadOnlyList<TopicPartitionOffset>? end)
    {
        var range = new Dictionary<TopicPartition, (long, long)>();
        foreach (string topic in descriptor.InputTopics)
        {
            int partitions = transport.GetPartitionCount(topic)
                ?? throw new ArgumentException($"Input topic '{topic}' of {descriptor.Id} does not exist on {transport.Description}.", nameof(transport));
            for (int p = 0; p < partitions; p++)
            {
                var tp = new TopicPartition(topic, p);
                WatermarkOffsets marks = transport.GetWatermarks(tp);
                long from = start?.FirstOrDefault(o => o.TopicPartition == tp) is { Topic: not null } s ? s.Offset : marks.Low;
                long to = end?.FirstOrDefault(o => o.TopicPartition == tp) is { Topic: not null } e ? e.Offset : marks.High;
                if (from < marks.Low || to > marks.High || from > to)
                {
                    throw new ArgumentOutOfRangeException(nameof(start), $"The range {from}..{to} of {tp} is not within its log {marks.Low}..{marks.High}.");
                }

                range[tp] = (from, to);
            }
        }

        return range;
    }

    private static Capture RunOnce(IProcessorDispatcher dispatcher, ProcessorDescriptor descriptor, IKappaTransport transport, Dictionary<TopicPartition, (long Start, long End)> range)
    {
        var capture = new Capture();
        var producer = new CapturingProducer(capture);
        StateStoreSet? stores = null;
        var partitionStores = new Dictionary<int, IStateStore[]>();
        if (descriptor.IsStateful)
        {
            stores = new StateStoreSet(descriptor.Stores);
            foreach (int partition in range.Keys.Select(k => k.Partition).Distinct())
            {
                IStateStore[] created = descriptor.Stores.Select(s => s.CreateStore()).ToArray();
                stores.Attach(partition, created);
                partitionStores[partition] = created;
            }

            dispatcher.AttachState(stores);
        }

        using (dispatcher)
        using (IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = descriptor.ConsumerGroup + ".verify", ReadCommitted = true }))
        {
            var pending = range.Where(r => r.Value.Start < r.Value.End).ToDictionary(r => r.Key, r => r.Value.End);
            consumer.Assign(pending.Keys.Select(tp => new TopicPartitionOffset(tp.Topic, tp.Partition, range[tp].Start)).ToList());
            while (pending.Count > 0 && consumer.TryConsume(TimeSpan.FromSeconds(1), out ConsumedRecord record))
            {
                var tp = new TopicPartition(record.Topic, record.Partition);
                if (!pending.TryGetValue(tp, out long stop) || record.Offset >= stop)
                {
                    continue;
                }

                capture.Records++;
                try
                {
                    dispatcher.Dispatch(in record, producer);
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    // A rejected record is an output too (to the dead-letter topic): both runs must reject the same records.
                    capture.Add(descriptor.DeadLetterTopic, record.KeyIsNull ? [] : record.Key, Encoding.UTF8.GetBytes(error.GetType().FullName + ": " + record.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                if (record.Offset + 1 >= stop)
                {
                    pending.Remove(tp);
                }
            }

            consumer.Close();
        }

        foreach (var (partition, created) in partitionStores)
        {
            for (int i = 0; i < created.Length; i++)
            {
                foreach (var (key, checksum) in created[i].EnumerateEntryChecksums())
                {
                    capture.States[(descriptor.Stores[i].ChangelogTopic, key)] = Convert.ToHexString(checksum);
                }
            }
        }

        return capture;
    }

    private static DeterminismDifference? FirstDifference(SortedDictionary<(string Topic, byte[] Key), string> first, SortedDictionary<(string Topic, byte[] Key), string> second)
    {
        var keys = new SortedSet<(string Topic, byte[] Key)>(first.Keys, EntryOrder.Instance);
        keys.UnionWith(second.Keys);
        foreach (var key in keys)
        {
            string a = first.GetValueOrDefault(key, string.Empty);
            string b = second.GetValueOrDefault(key, string.Empty);
            if (a != b)
            {
                return new DeterminismDifference(key.Topic, key.Key, a, b);
            }
        }

        return null;
    }

    private static string Combined(SortedDictionary<(string Topic, byte[] Key), string> entries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var ((topic, key), checksum) in entries)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(topic));
            hash.AppendData(BitConverter.GetBytes(key.Length));
            hash.AppendData(key);
            hash.AppendData(Encoding.ASCII.GetBytes(checksum));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private sealed class Capture
    {
        private readonly Dictionary<(string Topic, byte[] Key), IncrementalHash> _running = new(EntryOrder.Instance);

        public long Records { get; set; }

        public SortedDictionary<(string Topic, byte[] Key), string> States { get; } = new(EntryOrder.Instance);

        public SortedDictionary<(string Topic, byte[] Key), string> Outputs
        {
            get
            {
                var result = new SortedDictionary<(string Topic, byte[] Key), string>(EntryOrder.Instance);
                foreach (var (key, hash) in _running)
                {
                    result[key] = Convert.ToHexString(hash.GetCurrentHash());
                }

                return result;
            }
        }

        public void Add(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            var id = (topic, key.ToArray());
            if (!_running.TryGetValue(id, out IncrementalHash? hash))
            {
                hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                _running[id] = hash;
            }

            hash.AppendData(BitConverter.GetBytes(value.Length));
            hash.AppendData(value);
        }
    }

    private sealed class CapturingProducer(Capture capture) : IKappaProducer
    {
        public void Produce(in OutgoingRecord record) =>
            capture.Add(record.Topic, record.KeyIsNull ? [] : record.Key, record.ValueIsNull ? [] : record.Value);

        public void Flush(CancellationToken cancellationToken = default)
        {
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Topic ordinal, then key bytes ordinal: the order differences are searched in.</summary>
    private sealed class EntryOrder : IComparer<(string Topic, byte[] Key)>, IEqualityComparer<(string Topic, byte[] Key)>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare((string Topic, byte[] Key) x, (string Topic, byte[] Key) y)
        {
            int topic = string.CompareOrdinal(x.Topic, y.Topic);
            return topic != 0 ? topic : x.Key.AsSpan().SequenceCompareTo(y.Key);
        }

        public bool Equals((string Topic, byte[] Key) x, (string Topic, byte[] Key) y) => Compare(x, y) == 0;

        public int GetHashCode((string Topic, byte[] Key) obj)
        {
            var hash = default(HashCode);
            hash.Add(obj.Topic);
            hash.AddBytes(obj.Key);
            return hash.ToHashCode();
        }
    }
}
