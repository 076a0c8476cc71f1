using Confluent.Kafka;
using KTopicPartitionOffset = Kappa.Transport.TopicPartitionOffset;

namespace Kappa.Kafka.Testing;

/// <summary>
/// The performance baseline: a plain Confluent.Kafka 2.16 <c>IConsumer&lt;byte[], byte[]&gt;</c> consume loop, written the
/// way a Confluent user would. Lets benchmarks compare against it without referencing Confluent.Kafka themselves.
/// </summary>
public sealed class RawConfluentConsumer : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly List<TopicPartitionOffset> _start;

    /// <param name="config">librdkafka configuration (bootstrap.servers, group.id, ...).</param>
    /// <param name="partitions">Partitions and offsets to read (assigned, no group membership).</param>
    public RawConfluentConsumer(IReadOnlyDictionary<string, string> config, IReadOnlyCollection<KTopicPartitionOffset> partitions)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(partitions);
        NativeLibraryLoader.EnsureLoaded();
        _consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        _start = partitions.Select(p => new TopicPartitionOffset(p.Topic, new Partition(p.Partition), new Offset(p.Offset))).ToList();
        _consumer.Assign(_start);
    }

    /// <summary>
    /// Records and events librdkafka has fetched into this consumer's queue and not delivered yet (benchmarks wait on it
    /// to start reading with the topic already fetched, as they do for the transport's consumer).
    /// </summary>
    public long FetchedAhead
    {
        get
        {
            IntPtr queue = Native.LibRdKafka.QueueGetConsumer(KafkaConsumer.NativeHandle(_consumer.Handle));
            if (queue == IntPtr.Zero)
            {
                throw new InvalidOperationException("The raw Confluent consumer has no consumer group queue (rd_kafka_queue_get_consumer returned none).");
            }

            try
            {
                return (long)Native.LibRdKafka.QueueLength(queue);
            }
            finally
            {
                Native.LibRdKafka.QueueDestroy(queue);
            }
        }
    }

    /// <summary>Assigns the partitions again at their starting offsets (to read the same records after a warm-up).</summary>
    public void Rewind() => _consumer.Assign(_start);

    /// <summary>Consumes <paramref name="messages"/> records and returns a checksum over value length, first byte and offset.</summary>
    public long ConsumeChecksum(int messages, TimeSpan timeoutPerRecord)
    {
        long checksum = 0;
        for (int received = 0; received < messages; received++)
        {
            ConsumeResult<byte[], byte[]>? result = _consumer.Consume(timeoutPerRecord)
                ?? throw new TimeoutException($"Raw Confluent consumer: no record within {timeoutPerRecord} after {received} of {messages}.");
            byte[] value = result.Message.Value;
            checksum += value.Length + (value.Length > 0 ? value[0] : 0) + result.Offset.Value;
        }

        return checksum;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
