using Kappa.Kafka.Testing;
using Kappa.Transport;

namespace Kappa.Benchmarks.Kafka;

/// <summary>
/// Consume loops compared by <see cref="KafkaConsumeBenchmarks"/>. Each reads <see cref="KafkaBenchmarkTopic.Messages"/>
/// records from a consumer prepared (created and assigned) outside the measurement and returns a checksum so the work
/// cannot be optimized away. A new contender (e.g. the generated typed processor loop) is one more such method plus a
/// [Benchmark] calling it.
/// </summary>
public static class KafkaConsumeLoops
{
    private static readonly TimeSpan RecordTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The baseline: a Confluent.Kafka 2.16 byte[] consumer and Consume(timeout).</summary>
    public static long RawConfluent(RawConfluentConsumer consumer, int messages) => consumer.ConsumeChecksum(messages, RecordTimeout);

    /// <summary>Kappa's Kafka transport: spans over librdkafka's buffers.</summary>
    public static long Transport(IKappaConsumer consumer, int messages)
    {
        long checksum = 0;
        for (int received = 0; received < messages; received++)
        {
            if (!consumer.TryConsume(RecordTimeout, out ConsumedRecord record))
            {
                throw new TimeoutException($"Transport loop: no record within {RecordTimeout} after {received} of {messages}.");
            }

            checksum += record.Value.Length + (record.Value.Length > 0 ? record.Value[0] : 0) + record.Offset;
        }

        return checksum;
    }

    /// <summary>Records read (and then re-read) before a measurement, so connection and metadata setup stay out of it.</summary>
    public const int WarmUpRecords = 2_000;

    public static RawConfluentConsumer CreateRawConsumer(KafkaBenchmarkTopic topic)
    {
        var consumer = new RawConfluentConsumer(topic.ConsumerConfig("bench-raw"), topic.AllFromStart());
        consumer.ConsumeChecksum(Math.Min(WarmUpRecords, topic.Messages), RecordTimeout);
        consumer.Rewind();
        return consumer;
    }

    public static IKappaConsumer CreateTransportConsumer(KafkaBenchmarkTopic topic)
    {
        IKappaConsumer consumer = topic.Transport.CreateConsumer(new ConsumerSettings { GroupId = "bench-transport", TransportProperties = KafkaBenchmarkTopic.FetchProperties });
        consumer.Assign(topic.AllFromStart().ToList());
        Transport(consumer, Math.Min(WarmUpRecords, topic.Messages));
        consumer.Assign(topic.AllFromStart().ToList());
        return consumer;
    }
}
