using Kappa.Kafka;
using Kappa.Kafka.Testing;
using Kappa.Transport;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// The Kafka cluster of a resilience test: the real cluster named by <c>KAPPA_KAFKA_BOOTSTRAP</c> when set (plaintext,
/// topic creation allowed), otherwise librdkafka's mock cluster in its own process (<see cref="ExternalMockKafkaCluster"/>),
/// so killing a processor never kills the broker.
/// </summary>
internal sealed class KafkaTestCluster : IDisposable
{
    private KafkaTestCluster(ExternalMockKafkaCluster? mock, string bootstrap)
    {
        Mock = mock;
        Bootstrap = bootstrap;
    }

    public ExternalMockKafkaCluster? Mock { get; }

    public bool IsMock => Mock is not null;

    public string Bootstrap { get; }

    /// <summary>The real cluster if configured, else a mock cluster process.</summary>
    public static KafkaTestCluster Start(int mockBrokers = 3)
    {
        string? real = Environment.GetEnvironmentVariable(KafkaTransportOptions.BootstrapVariable);
        return string.IsNullOrWhiteSpace(real) ? StartMock(mockBrokers) : new KafkaTestCluster(null, real);
    }

    /// <summary>Always the mock (fault injection needs it).</summary>
    public static KafkaTestCluster StartMock(int brokers = 3)
    {
        var mock = new ExternalMockKafkaCluster(brokers, startTimeout: TimeSpan.FromSeconds(60));
        return new KafkaTestCluster(mock, mock.Bootstrap);
    }

    public KafkaTransport CreateTransport() =>
        new(Mock is not null ? Mock.TransportOptions() : new KafkaTransportOptions { BootstrapServers = Bootstrap });

    /// <summary>Host arguments selecting this cluster.</summary>
    public IEnumerable<string> HostArguments() =>
        IsMock ? new[] { "--kafka", Bootstrap, "--mock-broker" } : new[] { "--kafka", Bootstrap };

    /// <summary>Fresh topic and group names for one test, with the input (on the mock: every topic) created with <paramref name="partitions"/> partitions.</summary>
    public CrashTopics CreateTopics(KafkaTransport transport, string test, int partitions)
    {
        var topics = CrashTopics.Unique(test);
        // On a real cluster the processor creates its output, changelog (compacted) and dead-letter topics itself; the
        // mock has no admin API, so there the test creates them all.
        transport.EnsureTopics(IsMock
            ? new[]
            {
                new TopicSpec(topics.Input, partitions),
                new TopicSpec(topics.Output, partitions),
                new TopicSpec(topics.Changelog, partitions),
                new TopicSpec(topics.DeadLetter, partitions),
            }
            : new[] { new TopicSpec(topics.Input, partitions) });
        return topics;
    }

    public void Dispose() => Mock?.Dispose();
}
