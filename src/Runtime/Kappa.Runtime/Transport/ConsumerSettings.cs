namespace Kappa.Transport;

/// <summary>Settings of one consumer. Transports read what applies to them and ignore the rest.</summary>
public sealed class ConsumerSettings
{
    /// <summary>The consumer group; for processors always <see cref="Naming.KappaNames.ConsumerGroup"/>.</summary>
    public required string GroupId { get; init; }

    public string? ClientId { get; init; }

    public StartPosition StartFrom { get; init; } = StartPosition.Earliest;

    /// <summary>
    /// Deliver only records of committed transactions (Kafka's <c>isolation.level=read_committed</c>). On by default:
    /// processors must never act on outputs of an aborted transaction.
    /// </summary>
    public bool ReadCommitted { get; init; } = true;

    /// <summary>Called on the consuming thread when partitions are assigned, before any of their records is delivered.</summary>
    public Action<IReadOnlyList<TopicPartition>>? OnAssigned { get; init; }

    /// <summary>Called on the consuming thread when partitions are taken away, after the last of their records was delivered.</summary>
    public Action<IReadOnlyList<TopicPartition>>? OnRevoked { get; init; }

    /// <summary>Transport-specific settings passed through as they are (for Kafka: librdkafka configuration properties).</summary>
    public IReadOnlyDictionary<string, string> TransportProperties { get; init; } = new Dictionary<string, string>();
}
