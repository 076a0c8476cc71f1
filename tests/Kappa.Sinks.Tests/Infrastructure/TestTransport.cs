using Kappa.Kafka;
using Kappa.Kafka.Testing;
using Kappa.Log;
using Kappa.Transport;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>A transport of its own for one test (only <see cref="IKappaTransport"/> is used, so the tests hold on any transport).</summary>
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

    public static TestTransport Create(TransportKind kind)
    {
        if (kind == TransportKind.EmbeddedLog)
        {
            string directory = Directory.CreateTempSubdirectory("kappa-sink-log-").FullName;
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
