using Kappa.Log.Transport;
using Kappa.Transport;
using Microsoft.Extensions.Logging;

namespace Kappa.Log;

/// <summary>
/// The zero-install transport: an <see cref="EmbeddedLog"/> directory in Kafka's storage format, with in-process consumer
/// groups and committed offsets in the compacted topic <see cref="Naming.KappaNames.ConsumerOffsetsTopic"/>.
/// </summary>
public sealed class EmbeddedLogTransport : IKappaTransport
{
    private readonly bool _ownsLog;
    private readonly Timer? _maintenance;
    private readonly object _maintenanceGate = new();
    private volatile bool _disposed;

    /// <summary>Opens the log directory named by <paramref name="options"/> and owns it.</summary>
    public EmbeddedLogTransport(EmbeddedLogOptions options)
        : this(EmbeddedLog.Open(options), ownsLog: true)
    {
    }

    /// <summary>Runs on an already open log (disposed with the transport when <paramref name="ownsLog"/>).</summary>
    public EmbeddedLogTransport(EmbeddedLog log, bool ownsLog)
    {
        Log = log ?? throw new ArgumentNullException(nameof(log));
        _ownsLog = ownsLog;
        try
        {
            Offsets = new OffsetStore(log);
        }
        catch
        {
            if (ownsLog)
            {
                log.Dispose();
            }

            throw;
        }

        Coordinator = new GroupCoordinator(log, log.Signal);
        if (log.Options.MaintenanceInterval is { } every)
        {
            _maintenance = new Timer(_ => RunMaintenance(), null, every, every);
        }
    }

    public EmbeddedLog Log { get; }

    public string Description => $"embedded log at {Log.Directory}";

    internal OffsetStore Offsets { get; }

    internal GroupCoordinator Coordinator { get; }

    internal bool IsDisposed => _disposed;

    public void EnsureTopics(IReadOnlyCollection<TopicSpec> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        foreach (TopicSpec spec in topics)
        {
            var config = new TopicConfig(spec.Partitions, spec.Compacted) { Retention = spec.Retention, RetentionBytes = spec.RetentionBytes };
            try
            {
                Log.EnsureTopic(spec.Name, config);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                throw new KappaTransportException($"Cannot ensure topic '{spec.Name}' on the {Description}: {e.Message}", e);
            }
        }

        Coordinator.TopicsChanged();
    }

    public int? GetPartitionCount(string topic) => Log.GetTopicConfig(topic)?.Partitions;

    public WatermarkOffsets GetWatermarks(TopicPartition partition)
    {
        PartitionLog log = GetPartitionOrThrow(partition);
        return new WatermarkOffsets(log.LogStartOffset, log.LogEndOffset);
    }

    public IKappaConsumer CreateConsumer(ConsumerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Naming.KappaNames.ValidateName(settings.GroupId, "consumer group");
        return new EmbeddedLogConsumer(this, settings);
    }

    /// <summary>
    /// A transactional producer: its records, changelog writes and the offsets sent with it commit atomically (see
    /// docs/embedded-log.md, "Exactly-once"). Call <see cref="ITransactionalProducer.InitTransactions"/> first; it fences
    /// older producers with the same <paramref name="transactionalId"/>.
    /// </summary>
    public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(transactionalId))
        {
            throw new ArgumentException("A transactional producer needs a non-empty transactional id, stable across restarts of the same logical writer.", nameof(transactionalId));
        }

        if (System.Text.Encoding.UTF8.GetByteCount(transactionalId) > short.MaxValue)
        {
            throw new ArgumentException($"Transactional id is too long ({transactionalId.Length} characters; at most {short.MaxValue} UTF-8 bytes).", nameof(transactionalId));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        return new EmbeddedLogTransactionalProducer(this, transactionalId);
    }

    public IKappaProducer CreateProducer(ProducerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new EmbeddedLogProducer(this);
    }

    /// <summary>Retention, compaction and due interval fsyncs, now (the background timer calls this too).</summary>
    public void RunMaintenance()
    {
        lock (_maintenanceGate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                Log.RunMaintenance();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                Log.Options.Logger.LogError(e, "Embedded log maintenance failed.");
            }
        }
    }

    public void Dispose()
    {
        lock (_maintenanceGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _maintenance?.Dispose();
        Log.Signal.Pulse();
        if (_ownsLog)
        {
            Log.Dispose();
        }
    }

    public IReadOnlyCollection<string> ListTopics() => Log.Topics;

    public void DeleteTopics(IReadOnlyCollection<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        foreach (string topic in topics)
        {
            if (topic is Naming.KappaNames.ConsumerOffsetsTopic)
            {
                throw new ArgumentException($"'{topic}' holds the committed offsets of every group; it cannot be deleted.", nameof(topics));
            }
        }

        foreach (string topic in topics)
        {
            if (Log.DeleteTopic(topic))
            {
                Offsets.ForgetTopic(topic);
            }
        }

        Coordinator.TopicsChanged();
    }

    public IReadOnlyCollection<string> ListConsumerGroups() => Offsets.Groups();

    public void DeleteConsumerGroup(string group)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        if (Coordinator.HasMembers(group))
        {
            throw new KappaTransportException($"Consumer group '{group}' has live members on the {Description}; stop them before deleting the group.");
        }

        Offsets.DeleteGroup(group);
    }

    internal PartitionLog GetPartitionOrThrow(TopicPartition partition)
    {
        if (!Log.TryGetPartitions(partition.Topic, out PartitionLog[] partitions))
        {
            throw new KappaTransportException($"Topic '{partition.Topic}' does not exist in the {Description}.");
        }

        if ((uint)partition.Partition >= (uint)partitions.Length)
        {
            throw new KappaTransportException($"Partition {partition} does not exist: topic '{partition.Topic}' has {partitions.Length} partition(s).");
        }

        return partitions[partition.Partition];
    }

    /// <summary>Producers auto-create missing topics with the default partition count (like Kafka's auto.create.topics.enable).</summary>
    internal PartitionLog[] GetOrCreateTopic(string topic)
    {
        if (Log.TryGetPartitions(topic, out PartitionLog[] partitions))
        {
            return partitions;
        }

        try
        {
            Log.EnsureTopic(topic, new TopicConfig(Log.Options.DefaultPartitions) { Retention = Log.Options.Retention, RetentionBytes = Log.Options.RetentionBytes });
        }
        catch (ArgumentException e)
        {
            throw new KappaTransportException($"Cannot create topic '{topic}' on the {Description}: {e.Message}", e);
        }

        Coordinator.TopicsChanged();
        Log.TryGetPartitions(topic, out partitions);
        return partitions;
    }
}
