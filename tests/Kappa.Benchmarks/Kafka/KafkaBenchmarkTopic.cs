using Kappa.Kafka.Testing;
using Kappa.Transport;

namespace Kappa.Benchmarks.Kafka;

/// <summary>
/// A mock-cluster topic filled with <see cref="Messages"/> records of <see cref="ValueSize"/> bytes, spread over enough
/// partitions to stay under the mock's 5 MiB-per-partition retention. Shared by every consume-loop contender. The mock
/// cluster runs in this process (librdkafka's mock threads share the cores with the measured loop) or, with
/// <c>outOfProcess</c>, in a <c>kappa-test-broker</c> process of its own (<see cref="ExternalMockKafkaCluster"/>).
/// </summary>
public sealed class KafkaBenchmarkTopic : IDisposable
{
    /// <summary>Keep each partition well under the mock cluster's 5 MiB / 100k message-set limit.</summary>
    private const long MaxBytesPerPartition = 3L * 1024 * 1024;

    private readonly IDisposable _cluster;
    private readonly Func<int, byte[]>? _valueFactory;

    /// <param name="valueFactory">The value of record i; null: the same <paramref name="valueSize"/> random bytes for every record.</param>
    /// <param name="outOfProcess">Host the mock cluster in a kappa-test-broker process instead of this one.</param>
    public KafkaBenchmarkTopic(int messages, int valueSize = 100, string name = "bench", Func<int, byte[]>? valueFactory = null, bool outOfProcess = false)
    {
        _valueFactory = valueFactory;
        Messages = messages;
        ValueSize = valueSize;
        Name = name;
        // ~60 bytes of record overhead and key next to each value in a batch.
        Partitions = (int)Math.Max(1, Math.Ceiling((double)messages * (valueSize + 60) / MaxBytesPerPartition));
        Kappa.Kafka.KafkaTransportOptions options;
        if (outOfProcess)
        {
            var external = new ExternalMockKafkaCluster(1);
            _cluster = external;
            BrokerProcessId = external.ProcessId;
            external.CreateTopic(name, Partitions);
            Bootstrap = external.Bootstrap;
            options = external.TransportOptions();
        }
        else
        {
            var cluster = new MockKafkaCluster(1);
            _cluster = cluster;
            cluster.CreateTopic(name, Partitions);
            Bootstrap = cluster.Bootstrap;
            options = cluster.TransportOptions();
        }

        Transport = new Kappa.Kafka.KafkaTransport(options);
        Fill();
    }

    public string Name { get; }

    public int Messages { get; }

    public int ValueSize { get; }

    public int Partitions { get; }

    public string Bootstrap { get; }

    /// <summary>The kappa-test-broker process hosting the cluster, or null when it runs in this process.</summary>
    public int? BrokerProcessId { get; }

    public Kappa.Kafka.KafkaTransport Transport { get; }

    /// <summary>Every partition from offset 0 (what each contender assigns).</summary>
    public IReadOnlyList<TopicPartitionOffset> AllFromStart() =>
        Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(Name, p, 0)).ToList();

    /// <summary>Fetch settings every contender adds (on top of the defaults) so they fetch identically.</summary>
    public static IReadOnlyDictionary<string, string> FetchProperties { get; } = new Dictionary<string, string>
    {
        ["fetch.wait.max.ms"] = "100",
        // librdkafka postpones a partition's next fetch by fetch.queue.backoff.ms (default 1 s, also in 2.16) whenever its
        // prefetch queue passes these thresholds; with the defaults that stall hit a random subset of iterations. Large
        // thresholds let every contender prefetch freely.
        ["queued.max.messages.kbytes"] = "1048576",
        ["queued.min.messages"] = "1000000",
    };

    /// <summary>librdkafka settings added to <see cref="FetchProperties"/> for every contender's consumer alike (harness experiments).</summary>
    public IReadOnlyDictionary<string, string> ExtraConsumerProperties { get; init; } = new Dictionary<string, string>();

    /// <summary><see cref="FetchProperties"/> with <see cref="ExtraConsumerProperties"/>: what every contender's consumer gets.</summary>
    public IReadOnlyDictionary<string, string> ConsumerProperties =>
        ExtraConsumerProperties.Count == 0
            ? FetchProperties
            : FetchProperties.Concat(ExtraConsumerProperties).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>librdkafka settings of a plain Confluent consumer, matching what the transport sets.</summary>
    public Dictionary<string, string> ConsumerConfig(string group) => new(ConsumerProperties)
    {
        ["bootstrap.servers"] = Bootstrap,
        ["group.id"] = group,
        ["enable.auto.commit"] = "false",
        ["enable.auto.offset.store"] = "false",
        ["enable.partition.eof"] = "false",
        ["auto.offset.reset"] = "earliest",
    };

    public void Dispose()
    {
        Transport.Dispose();
        _cluster.Dispose();
    }

    private void Fill()
    {
        byte[] value = new byte[ValueSize];
        new Random(42).NextBytes(value);
        byte[] key = new byte[8];
        using (IKappaProducer producer = Transport.CreateProducer(new ProducerSettings
        {
            TransportProperties = new Dictionary<string, string> { ["linger.ms"] = "20", ["batch.num.messages"] = "10000" },
        }))
        {
            for (int i = 0; i < Messages; i++)
            {
                BitConverter.TryWriteBytes(key, (long)i);
                producer.Produce(new OutgoingRecord(Name, key, _valueFactory?.Invoke(i) ?? value) { Partition = i % Partitions, TimestampMs = 1_700_000_000_000 + i });
            }

            producer.Flush();
        }

        long total = 0;
        for (int p = 0; p < Partitions; p++)
        {
            WatermarkOffsets w = Transport.GetWatermarks(new TopicPartition(Name, p));
            if (w.Low != 0)
            {
                throw new InvalidOperationException(
                    $"The mock cluster dropped the oldest records of {Name}-{p} (log start {w.Low}): too much data per partition; use more partitions.");
            }

            total += w.High;
        }

        if (total != Messages)
        {
            throw new InvalidOperationException($"Expected {Messages} records in {Name}, found {total}.");
        }
    }
}
