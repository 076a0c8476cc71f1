namespace Kappa.Transport;

/// <summary>Settings of one producer.</summary>
public sealed class ProducerSettings
{
    public string? ClientId { get; init; }

    /// <summary>Transport-specific settings passed through as they are (for Kafka: librdkafka configuration properties).</summary>
    public IReadOnlyDictionary<string, string> TransportProperties { get; init; } = new Dictionary<string, string>();
}
