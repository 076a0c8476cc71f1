using Kappa.Benchmarks.Kafka;
using Kappa.Kafka.Testing;

namespace Kappa.Benchmarks.Log;

/// <summary>
/// The Kafka-protocol comparison: the same number of 100-byte records produced to librdkafka's mock cluster and read
/// back by a raw Confluent.Kafka byte[] consumer (the loop the Kafka benchmarks use as their baseline).
/// </summary>
public sealed class ConfluentMockSource : IReplaySource
{
    private static readonly TimeSpan RecordTimeout = TimeSpan.FromSeconds(10);
    private KafkaBenchmarkTopic? _topic;
    private RawConfluentConsumer? _consumer;
    private int _records;

    public string Name => "Confluent.Kafka consumer on the mock broker";

    public void Setup(LogDataset dataset)
    {
        Kappa.Kafka.NativeLibraryLoader.EnsureLoaded();
        _records = dataset.Records;
        _topic = new KafkaBenchmarkTopic(dataset.Records, valueSize: 100, name: "bench-replay");
        _consumer = KafkaConsumeLoops.CreateRawConsumer(_topic);
    }

    public long ReplayAll()
    {
        _consumer!.Rewind();
        return _consumer.ConsumeChecksum(_records, RecordTimeout);
    }

    public void Dispose()
    {
        _consumer?.Dispose();
        _topic?.Dispose();
    }
}
