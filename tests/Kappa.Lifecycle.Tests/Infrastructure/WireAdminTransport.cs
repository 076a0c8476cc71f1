using Kappa.Kafka;
using Kappa.Tests.KafkaWire;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests.Infrastructure;

/// <summary>
/// The Kafka transport of the lifecycle tests: records, offsets and consumer groups on librdkafka's mock cluster (the
/// data plane), and the admin operations the mock does not implement (ListTopics, DeleteTopics, ListConsumerGroups,
/// DeleteConsumerGroup) through a real <see cref="KafkaTransport"/> connected to a <see cref="WireTestBroker"/>, which
/// <see cref="WireAdminMirror"/> seeds with the mock's topics and groups. Deleting on the test broker does not touch
/// the mock's records or offsets.
/// </summary>
public sealed class WireAdminTransport : IKappaTransport
{
    private readonly IKappaTransport _data;
    private readonly KafkaTransport _admin;
    private readonly WireAdminMirror _mirror;

    public WireAdminTransport(IKappaTransport data, WireAdminMirror mirror)
    {
        _data = data;
        _mirror = mirror;
        _admin = new KafkaTransport(new KafkaTransportOptions { BootstrapServers = mirror.Broker.Bootstrap, OperationTimeout = TimeSpan.FromSeconds(30) });
    }

    public string Description => $"{_data.Description} (admin operations through the wire-level test broker at {_mirror.Broker.Bootstrap})";

    public void EnsureTopics(IReadOnlyCollection<TopicSpec> topics) => _data.EnsureTopics(topics);

    public int? GetPartitionCount(string topic) => _data.GetPartitionCount(topic);

    public WatermarkOffsets GetWatermarks(TopicPartition partition) => _data.GetWatermarks(partition);

    public IKappaConsumer CreateConsumer(ConsumerSettings settings)
    {
        _mirror.NoteGroup(settings.GroupId);
        return _data.CreateConsumer(settings);
    }

    public IKappaProducer CreateProducer(ProducerSettings settings) => _data.CreateProducer(settings);

    public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId) => _data.CreateTransactionalProducer(settings, transactionalId);

    public IReadOnlyCollection<string> ListTopics()
    {
        _mirror.Sync(_data);
        return _admin.ListTopics();
    }

    public void DeleteTopics(IReadOnlyCollection<string> topics)
    {
        _mirror.Sync(_data);
        _admin.DeleteTopics(topics);
    }

    public IReadOnlyCollection<string> ListConsumerGroups()
    {
        _mirror.Sync(_data);
        return _admin.ListConsumerGroups();
    }

    public void DeleteConsumerGroup(string group)
    {
        _mirror.Sync(_data);
        _admin.DeleteConsumerGroup(group);
    }

    public void Dispose()
    {
        _admin.Dispose();
        _data.Dispose();
    }
}

/// <summary>
/// Seeds a <see cref="WireTestBroker"/> with what exists on the mock cluster, each name once: every topic of the mock's
/// metadata, and every consumer group a consumer was created for that has a committed offset on the mock (what a Kafka
/// broker lists as a group). Live members are not mirrored: every seeded group is empty. Once seeded, a name is never
/// added again, so what the admin side deleted stays deleted.
/// </summary>
public sealed class WireAdminMirror : IDisposable
{
    private readonly object _gate = new();
    private readonly HashSet<string> _candidateGroups = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seededTopics = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seededGroups = new(StringComparer.Ordinal);

    public WireTestBroker Broker { get; } = new();

    public void NoteGroup(string? group)
    {
        if (!string.IsNullOrEmpty(group))
        {
            lock (_gate)
            {
                _candidateGroups.Add(group);
            }
        }
    }

    public void Sync(IKappaTransport data)
    {
        lock (_gate)
        {
            var partitions = new List<TopicPartition>();
            foreach (string topic in data.ListTopics())
            {
                int count = data.GetPartitionCount(topic) ?? 0;
                if (count > 0 && _seededTopics.Add(topic))
                {
                    Broker.AddTopic(topic, count);
                }

                partitions.AddRange(Enumerable.Range(0, count).Select(p => new TopicPartition(topic, p)));
            }

            foreach (string group in _candidateGroups.Where(g => !_seededGroups.Contains(g)).ToArray())
            {
                using IKappaConsumer probe = data.CreateConsumer(new ConsumerSettings { GroupId = group, ClientId = "wire-admin-mirror" });
                if (partitions.Any(p => probe.Committed(p) is not null))
                {
                    _seededGroups.Add(group);
                    Broker.AddGroup(group);
                }
            }
        }
    }

    public void Dispose() => Broker.Dispose();
}
