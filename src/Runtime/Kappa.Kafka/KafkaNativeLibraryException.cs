using Kappa.Transport;

namespace Kappa.Kafka;

/// <summary>The native Kafka client library (librdkafka) could not be loaded; the message says what to install.</summary>
public sealed class KafkaNativeLibraryException : KappaTransportException
{
    public KafkaNativeLibraryException(string message)
        : base(message)
    {
    }

    public KafkaNativeLibraryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
