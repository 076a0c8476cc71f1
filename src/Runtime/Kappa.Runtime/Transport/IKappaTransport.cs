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

    /// <summary>Names of every topic on the transport, internal ones (<c>_kappa.*</c>, <c>__*</c>) included.</summary>
    IReadOnlyCollection<string> ListTopics() =>
        throw new NotSupportedException($"{GetType().Name} cannot list topics; the lifecycle's retire needs IKappaTransport.ListTopics.");

    /// <summary>
    /// Deletes these topics and their records. Topics that do not exist are ignored. Used by the lifecycle's retire,
    /// after the version's hosts stopped.
    /// </summary>
    void DeleteTopics(IReadOnlyCollection<string> topics) =>
        throw new NotSupportedException($"{GetType().Name} cannot delete topics; the lifecycle's retire needs IKappaTransport.DeleteTopics.");

    /// <summary>Consumer groups that have committed offsets (or, on Kafka, that the cluster knows).</summary>
    IReadOnlyCollection<string> ListConsumerGroups() =>
        throw new NotSupportedException($"{GetType().Name} cannot list consumer groups; the lifecycle needs IKappaTransport.ListConsumerGroups.");

    /// <summary>Deletes a consumer group and its committed offsets. A group that does not exist is ignored; a group with live members is refused.</summary>
    void DeleteConsumerGroup(string group) =>
        throw new NotSupportedException($"{GetType().Name} cannot delete consumer groups; the lifecycle's retire needs IKappaTransport.DeleteConsumerGroup.");
}
