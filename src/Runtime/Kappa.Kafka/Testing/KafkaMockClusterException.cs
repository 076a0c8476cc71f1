using Kappa.Transport;

namespace Kappa.Kafka.Testing;

/// <summary>A mock cluster operation failed (bad broker id, unknown topic, process gone, ...).</summary>
public sealed class KafkaMockClusterException : KappaTransportException
{
    public KafkaMockClusterException(string message)
        : base(message)
    {
    }

    public KafkaMockClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
