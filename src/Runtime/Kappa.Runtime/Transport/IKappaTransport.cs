namespace Kappa.Transport;

/// <summary>
/// The log a processor runs on: the embedded Kafka-format log (default) or Kafka. Generated code depends only on this.
/// </summary>
public interface IKappaTransport : IDisposable
{
    /// <summary>Human-readable description for logs ("embedded log at ./data", "kafka at localhost:9092").</summary>
    string Description { get; }

    /// <summary>Creates missing topics; throws <see cref="KappaTransportException"/> when an existing topic conflicts (e.g. compaction differs).</summary>
    void EnsureTopics(IReadOnlyCollection<TopicSpec> topics);

    /// <summary>Number of partitions of a topic, or null when it does not exist.</summary>
    int? GetPartitionCount(string topic);

    WatermarkOffsets GetWatermarks(TopicPartition partition);

    IKappaConsumer CreateConsumer(ConsumerSettings settings);

    IKappaProducer CreateProducer(ProducerSettings settings);

    /// <summary>
    /// Creates a transactional producer. <paramref name="transactionalId"/> must be stable across restarts of the same
    /// logical writer (e.g. <c>{group}.{instance}</c>) so a restarted instance fences its predecessor.
    /// </summary>
    ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId);
}
