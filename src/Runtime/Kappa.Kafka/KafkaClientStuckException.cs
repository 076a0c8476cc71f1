using Kappa.Transport;

namespace Kappa.Kafka;

/// <summary>
/// A librdkafka call did not return within its timeout (plus a grace period), so its client was abandoned and replaced.
/// For a transactional producer the transaction must be aborted (which initializes the new client) and retried.
/// </summary>
public sealed class KafkaClientStuckException : KappaTransportException
{
    public KafkaClientStuckException(string message)
        : base(message)
    {
    }
}
