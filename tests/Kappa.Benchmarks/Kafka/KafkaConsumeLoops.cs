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

    /// <param name="prefetched">
    /// Return only once librdkafka has fetched the whole topic into the consumer's queue, so the measurement is the
    /// consume loop alone, not the (in-process, same cores) mock broker and fetcher running next to it.
    /// </param>
    public static RawConfluentConsumer CreateRawConsumer(KafkaBenchmarkTopic topic, bool prefetched = false)
    {
        var consumer = new RawConfluentConsumer(topic.ConsumerConfig("bench-raw"), topic.AllFromStart());
        consumer.ConsumeChecksum(Math.Min(WarmUpRecords, topic.Messages), RecordTimeout);
        consumer.Rewind();
        if (prefetched)
        {
            WaitUntilFetched(() => consumer.FetchedAhead, topic.Messages, "raw Confluent consumer");
        }

        return consumer;
    }

    /// <param name="prefetched">As for <see cref="CreateRawConsumer"/>.</param>
    public static IKappaConsumer CreateTransportConsumer(KafkaBenchmarkTopic topic, bool prefetched = false)
    {
        var consumer = (Kappa.Kafka.KafkaConsumer)topic.Transport.CreateConsumer(new ConsumerSettings { GroupId = "bench-transport", TransportProperties = topic.ConsumerProperties });
        consumer.Assign(topic.AllFromStart().ToList());
        Transport(consumer, Math.Min(WarmUpRecords, topic.Messages));
        consumer.Assign(topic.AllFromStart().ToList());
        if (prefetched)
        {
            WaitUntilFetched(() => consumer.FetchedAhead, topic.Messages, "transport consumer");
        }

        return consumer;
    }

    /// <summary>
    /// The delivery ceiling's "loop": returns once the consumer's local queue holds <paramref name="messages"/> entries,
    /// consuming nothing (checks every millisecond, so the consuming thread takes next to no CPU).
    /// </summary>
    public static long WaitUntilQueued(Func<long> fetchedAhead, int messages)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        long now;
        while ((now = fetchedAhead()) < messages)
        {
            if (waited.Elapsed > RecordTimeout)
            {
                throw new TimeoutException($"FetchOnly: the consumer's queue holds {now} of {messages} records after {RecordTimeout}.");
            }

            Thread.Sleep(1);
        }

        return now;
    }

    /// <summary>
    /// Waits until the consumer's local queue holds at least <paramref name="messages"/> entries and stops growing (it
    /// may also hold a few events and records of the warm-up's assignment, which librdkafka drops when they are reached).
    /// </summary>
    private static void WaitUntilFetched(Func<long> fetchedAhead, int messages, string who)
    {
        TimeSpan limit = TimeSpan.FromSeconds(60);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        long last = -1;
        int unchanged = 0;
        while (true)
        {
            long now = fetchedAhead();
            unchanged = now >= messages && now == last ? unchanged + 1 : 0;
            if (unchanged >= 2)
            {
                return;
            }

            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"The {who} fetched only {now} of {messages} records within {limit}.");
            }

            last = now;
            Thread.Sleep(50);
        }
    }
}
