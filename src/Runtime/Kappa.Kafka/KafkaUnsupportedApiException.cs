using Kappa.Transport;

namespace Kappa.Kafka;

/// <summary>
/// A Kafka admin operation needs a protocol API (e.g. DeleteGroups, ApiKey 42) that a broker does not implement, so
/// the operation was not done. The message names the operation, the API with its key and the brokers lacking it.
/// </summary>
public sealed class KafkaUnsupportedApiException : KappaTransportException
{
    public KafkaUnsupportedApiException(string message, KafkaApi api, IReadOnlyList<string> brokers, Exception? innerException = null)
        : base(message, innerException ?? new NotSupportedException(message))
    {
        Api = api;
        Brokers = brokers;
    }

    /// <summary>The API the brokers lack.</summary>
    public KafkaApi Api { get; }

    /// <summary>The brokers (host:port) known to lack it; empty when librdkafka refused the request without naming one.</summary>
    public IReadOnlyList<string> Brokers { get; }
}
