using Kappa.Transport;

namespace Kappa.Kafka;

/// <summary>How <see cref="KafkaTransport"/> reaches a Kafka cluster.</summary>
public sealed class KafkaTransportOptions
{
    /// <summary>Environment variable naming a real cluster's bootstrap servers for tests and samples.</summary>
    public const string BootstrapVariable = "KAPPA_KAFKA_BOOTSTRAP";

    /// <summary>"host:port[,host:port...]".</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>librdkafka properties applied to every client (security, timeouts, ...); consumer/producer settings override them.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Timeout of metadata, admin, watermark and commit calls.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Replication factor of topics created by <see cref="KafkaTransport.EnsureTopics"/> (-1: the broker default).</summary>
    public short ReplicationFactor { get; init; } = -1;

    /// <summary>
    /// Creates a missing topic instead of the Kafka admin API, for brokers without CreateTopics/DescribeConfigs (the
    /// librdkafka mock cluster). When set, existing topics are checked for their partition count only.
    /// </summary>
    public Action<TopicSpec>? TopicCreator { get; init; }

    /// <summary>
    /// <b>For librdkafka's mock cluster only.</b> The mock accepts <c>TxnOffsetCommit</c> but never stores the offsets, so
    /// offsets sent with <see cref="ITransactionalProducer.SendOffsetsToTransaction"/> would never become the group's
    /// committed positions. When set, a transactional producer commits them with a plain offset commit through the same
    /// consumer right after the transaction committed (never after an abort or a failed commit). That is not atomic: a
    /// crash between the two replays the transaction's inputs. <see cref="Testing.MockKafkaCluster.TransportOptions"/> sets
    /// it; never set it for a real cluster, where the offsets commit atomically with the records. See docs/kafka.md.
    /// </summary>
    public bool EmulateTransactionalOffsetCommit { get; init; }

    /// <summary>Receives librdkafka log lines and non-fatal client errors (default: dropped).</summary>
    public Action<string>? Log { get; init; }
}
