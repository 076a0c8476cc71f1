namespace Kappa.Sinks.Tests.Infrastructure;

public enum TransportKind
{
    EmbeddedLog,

    /// <summary>librdkafka's mock cluster in this process, through Kappa's Kafka transport.</summary>
    KafkaMock,
}
