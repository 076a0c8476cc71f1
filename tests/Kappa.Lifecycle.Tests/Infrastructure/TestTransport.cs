using Kappa.Kafka;
using Kappa.Kafka.Testing;
using Kappa.Log;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests.Infrastructure;

public enum TransportKind
{
    EmbeddedLog,
    KafkaMock,

    /// <summary>The real cluster named by KAPPA_KAFKA_BOOTSTRAP when it is set (unreachable: the test fails), else <see cref="KafkaMock"/>.</summary>
    KafkaClusterOrMock,
}

/// <summary>
/// A transport of its own for one test: an embedded log in a temporary directory, or a librdkafka mock cluster whose
/// admin operations (which the mock lacks) go to a wire-level test broker seeded with the mock's topics and groups
/// (<see cref="WireAdminTransport"/>).
/// </summary>
public sealed class TestTransport : IDisposable
{
    private readonly string? _directory;
    private readonly MockKafkaCluster? _cluster;
    private readonly WireAdminMirror? _mirror;

    private TestTransport(IKappaTransport transport, string? directory, MockKafkaCluster? cluster, WireAdminMirror? mirror)
    {
        Transport = transport;
        _directory = directory;
        _cluster = cluster;
        _mirror = mirror;
    }

    public IKappaTransport Transport { get; }

    /// <summary>True when the transport is the real cluster of KAPPA_KAFKA_BOOTSTRAP.</summary>
    public bool IsRealCluster { get; private init; }

    /// <summary>Kafka: the wire-level test broker that answers the admin operations (to inject errors); null on the embedded log.</summary>
    public Kappa.Tests.KafkaWire.WireTestBroker? AdminBroker => _mirror?.Broker;

    /// <summary>Another client of the same log (Kafka: a second transport; the embedded log: the same one, as it is one process).</summary>
    public IKappaTransport Connect() => _cluster is null ? Transport : new WireAdminTransport(new KafkaTransport(_cluster.TransportOptions()), _mirror!);

    public static TestTransport Create(TransportKind kind)
    {
        if (kind == TransportKind.EmbeddedLog)
        {
            string directory = Directory.CreateTempSubdirectory("kappa-lifecycle-log-").FullName;
            return new TestTransport(new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = directory, FsyncPolicy = FsyncPolicy.Never }), directory, null, null);
        }

        if (kind == TransportKind.KafkaClusterOrMock && KafkaTransport.FromEnvironment() is { } real)
        {
            try
            {
                real.ListTopics();
            }
            catch (KappaTransportException unreachable)
            {
                real.Dispose();
                throw new InvalidOperationException($"{KafkaTransportOptions.BootstrapVariable} is set, but its cluster cannot be used: {unreachable.Message}", unreachable);
            }

            return new TestTransport(real, null, null, null) { IsRealCluster = true };
        }

        var cluster = new MockKafkaCluster(1);
        var mirror = new WireAdminMirror();
        return new TestTransport(new WireAdminTransport(new KafkaTransport(cluster.TransportOptions()), mirror), null, cluster, mirror);
    }

    public void Dispose()
    {
        Transport.Dispose();
        _mirror?.Dispose();
        _cluster?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
