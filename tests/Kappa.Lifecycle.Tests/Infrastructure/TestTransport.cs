using Kappa.Kafka;
using Kappa.Kafka.Testing;
using Kappa.Log;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests.Infrastructure;

public enum TransportKind
{
    EmbeddedLog,
    KafkaMock,
}

/// <summary>A transport of its own for one test: an embedded log in a temporary directory, or a librdkafka mock cluster.</summary>
public sealed class TestTransport : IDisposable
{
    private readonly string? _directory;
    private readonly MockKafkaCluster? _cluster;

    private TestTransport(IKappaTransport transport, string? directory, MockKafkaCluster? cluster)
    {
        Transport = transport;
        _directory = directory;
        _cluster = cluster;
    }

    public IKappaTransport Transport { get; }

    /// <summary>Another client of the same log (Kafka: a second transport; the embedded log: the same one, as it is one process).</summary>
    public IKappaTransport Connect() => _cluster is null ? Transport : new KafkaTransport(_cluster.TransportOptions());

    public static TestTransport Create(TransportKind kind)
    {
        if (kind == TransportKind.EmbeddedLog)
        {
            string directory = Directory.CreateTempSubdirectory("kappa-lifecycle-log-").FullName;
            return new TestTransport(new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = directory, FsyncPolicy = FsyncPolicy.Never }), directory, null);
        }

        var cluster = new MockKafkaCluster(1);
        return new TestTransport(new KafkaTransport(cluster.TransportOptions()), null, cluster);
    }

    public void Dispose()
    {
        Transport.Dispose();
        _cluster?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
