using Kappa.Kafka.Testing;
using Kappa.Transport;

namespace Kappa.Kafka.Tests.Infrastructure;

/// <summary>
/// The cluster a test runs against: a real one when KAPPA_KAFKA_BOOTSTRAP is set, else an in-process mock cluster.
/// Topic names are unique per call, so tests never see each other's data on a shared real cluster.
/// </summary>
public sealed class TestCluster : IDisposable
{
    private readonly MockKafkaCluster? _mock;

    private TestCluster(MockKafkaCluster? mock, string bootstrap)
    {
        _mock = mock;
        Bootstrap = bootstrap;
        Transport = new KafkaTransport(Options());
    }

    public string Bootstrap { get; }

    public bool IsMock => _mock is not null;

    public KafkaTransport Transport { get; }

    public static TestCluster Create(int mockBrokers = 3)
    {
        string? real = Environment.GetEnvironmentVariable(KafkaTransportOptions.BootstrapVariable);
        return string.IsNullOrWhiteSpace(real)
            ? FromMock(new MockKafkaCluster(mockBrokers))
            : new TestCluster(null, real);
    }

    public KafkaTransportOptions Options() => _mock is not null
        ? _mock.TransportOptions()
        : new KafkaTransportOptions { BootstrapServers = Bootstrap };

    /// <summary>Creates a fresh topic with a unique name and returns the name.</summary>
    public string NewTopic(string prefix, int partitions)
    {
        string name = $"{prefix}-{Guid.NewGuid():N}";
        Transport.EnsureTopics([new TopicSpec(name, partitions)]);
        return name;
    }

    public void Dispose()
    {
        Transport.Dispose();
        _mock?.Dispose();
    }

    private static TestCluster FromMock(MockKafkaCluster mock) => new(mock, mock.Bootstrap);
}
