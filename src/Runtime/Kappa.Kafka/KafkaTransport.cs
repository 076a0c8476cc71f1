using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kappa.Transport;
using KTopicPartition = Kappa.Transport.TopicPartition;
using WatermarkOffsets = Kappa.Transport.WatermarkOffsets;

namespace Kappa.Kafka;

/// <summary><see cref="IKappaTransport"/> on Apache Kafka through Confluent.Kafka 2.16 and the librdkafka of librdkafka.redist.</summary>
public sealed class KafkaTransport : IKappaTransport
{
    private readonly KafkaTransportOptions _options;
    private readonly object _gate = new();
    private readonly KafkaAdmin _admin;
    private IConsumer<Ignore, Ignore>? _metadataConsumer;
    private bool _disposed;

    public KafkaTransport(KafkaTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            throw new ArgumentException("KafkaTransportOptions.BootstrapServers is empty; give \"host:port[,host:port...]\".", nameof(options));
        }

        NativeLibraryLoader.EnsureLoaded();
        _options = options;
        _admin = new KafkaAdmin(options, Description);
    }

    /// <summary>A transport on the cluster named by <see cref="KafkaTransportOptions.BootstrapVariable"/>, or null when it is unset.</summary>
    public static KafkaTransport? FromEnvironment()
    {
        string? bootstrap = Environment.GetEnvironmentVariable(KafkaTransportOptions.BootstrapVariable);
        return string.IsNullOrWhiteSpace(bootstrap) ? null : new KafkaTransport(new KafkaTransportOptions { BootstrapServers = bootstrap });
    }

    public string Description => $"kafka at {_options.BootstrapServers}";

    internal KafkaTransportOptions Options => _options;

    public void EnsureTopics(IReadOnlyCollection<TopicSpec> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        foreach (TopicSpec spec in topics)
        {
            if (string.IsNullOrEmpty(spec.Name) || spec.Partitions < 1)
            {
                throw new ArgumentException($"Invalid topic spec {spec}: a topic needs a name and at least one partition.", nameof(topics));
            }
        }

        Dictionary<string, int> existing = TopicPartitionCounts();
        var missing = new List<TopicSpec>();
        var present = new List<TopicSpec>();
        foreach (TopicSpec spec in topics)
        {
            if (existing.TryGetValue(spec.Name, out int partitions))
            {
                CheckPartitions(spec, partitions);
                present.Add(spec);
            }
            else
            {
                missing.Add(spec);
            }
        }

        if (_options.TopicCreator is null && present.Count > 0)
        {
            CheckCleanupPolicies(present);
        }

        if (missing.Count == 0)
        {
            return;
        }

        if (_options.TopicCreator is { } creator)
        {
            foreach (TopicSpec spec in missing)
            {
                creator(spec);
            }
        }
        else
        {
            CreateWithAdmin(missing);
        }

        WaitUntilVisible(missing);
    }

    public int? GetPartitionCount(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        return TopicPartitionCounts().TryGetValue(topic, out int count) ? count : null;
    }

    public WatermarkOffsets GetWatermarks(KTopicPartition partition)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _metadataConsumer ??= new ConsumerBuilder<Ignore, Ignore>(KafkaConfig.Consumer(_options, "kappa-metadata", null, StartPosition.Earliest, null))
                .SetLogHandler((_, m) => KafkaClients.OnLog(_options, m))
                .SetErrorHandler((_, e) => _options.Log?.Invoke($"error: {e}"))
                .Build();
            var tp = new Confluent.Kafka.TopicPartition(partition.Topic, partition.Partition);
            long deadline = Environment.TickCount64 + (long)_options.OperationTimeout.TotalMilliseconds;
            while (true)
            {
                var remaining = TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
                try
                {
                    Confluent.Kafka.WatermarkOffsets w = _metadataConsumer.QueryWatermarkOffsets(tp, remaining);
                    return new WatermarkOffsets(w.Low.Value, w.High.Value);
                }
                catch (KafkaException ex) when (ex.Error.Code is ErrorCode.Local_UnknownPartition or ErrorCode.LeaderNotAvailable or ErrorCode.NotLeaderForPartition
                    && Environment.TickCount64 < deadline && PartitionExists(_metadataConsumer, partition, remaining))
                {
                    // librdkafka 2.16 decommissions a broker that is missing from a Metadata response (one that was down)
                    // and learns it again only with its next metadata refresh (topic.metadata.refresh.interval.ms, 5
                    // minutes): until then the partitions it leads are "unknown" to this client. PartitionExists has just
                    // refreshed the metadata (so the broker is known again); ask again.
                    Thread.Sleep((int)Math.Clamp(deadline - Environment.TickCount64, 0, 100));
                }
                catch (KafkaException ex)
                {
                    throw new KappaTransportException($"Could not read the watermarks of {partition} from {Description}: {ex.Error.Reason} ({ex.Error.Code}).", ex);
                }
            }
        }
    }

    /// <summary>
    /// Refreshes the client's metadata of the partition's topic (which also makes it learn brokers it had dropped) and
    /// says whether the partition exists; false also when the metadata cannot be read.
    /// </summary>
    private static bool PartitionExists(IConsumer<Ignore, Ignore> client, KTopicPartition partition, TimeSpan timeout)
    {
        try
        {
            using IAdminClient metadata = new DependentAdminClientBuilder(client.Handle).Build();
            TopicMetadata? topic = metadata.GetMetadata(partition.Topic, timeout).Topics.FirstOrDefault(t => t.Topic == partition.Topic);
            return topic is not null && !topic.Error.IsError && topic.Partitions.Any(p => p.PartitionId == partition.Partition);
        }
        catch (KafkaException)
        {
            return false;
        }
    }

    public IKappaConsumer CreateConsumer(ConsumerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new KafkaConsumer(_options, settings);
    }

    /// <summary>
    /// A Kafka transactional producer with <c>transactional.id</c> = <paramref name="transactionalId"/> (Kappa uses
    /// <c>{group}.{instance}</c>: one id per processor instance, stable across its restarts). Call
    /// <see cref="ITransactionalProducer.InitTransactions"/> first; it fences an older producer with the same id.
    /// </summary>
    public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(transactionalId))
        {
            throw new ArgumentException("A transactional producer needs a non-empty transactional id, stable across restarts (e.g. \"{group}.{instance}\").", nameof(transactionalId));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        return new KafkaTransactionalProducer(_options, settings, transactionalId);
    }

    public IKappaProducer CreateProducer(ProducerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new KafkaProducer(_options, settings);
    }

    public IReadOnlyCollection<string> ListTopics() => TopicPartitionCounts().Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Deletes the topics that exist (DeleteTopics, ApiKey 20, sent to the controller); topics already gone are ignored.
    /// Refused with <see cref="KafkaUnsupportedApiException"/> (nothing sent) when a broker lacks DeleteTopics; any other
    /// failure names each topic that was not deleted and why.
    /// </summary>
    public void DeleteTopics(IReadOnlyCollection<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        Dictionary<string, int> existing = TopicPartitionCounts();
        string[] present = topics.Where(existing.ContainsKey).Distinct(StringComparer.Ordinal).ToArray();
        if (present.Length == 0)
        {
            return;
        }

        string operation = $"delete topic(s) {string.Join(", ", present.Select(t => $"'{t}'"))}";
        _admin.Require(KafkaApi.DeleteTopics, operation);
        try
        {
            _admin.Client.DeleteTopicsAsync(present, new DeleteTopicsOptions { OperationTimeout = _options.OperationTimeout, RequestTimeout = _options.OperationTimeout })
                .GetAwaiter().GetResult();
        }
        catch (DeleteTopicsException ex)
        {
            DeleteTopicReport[] failed = ex.Results.Where(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.UnknownTopicOrPart)).ToArray();
            if (failed.Length == 0)
            {
                return;
            }

            if (failed.All(r => r.Error.Code == ErrorCode.Local_UnsupportedFeature))
            {
                throw _admin.Refused(KafkaApi.DeleteTopics, operation, ex, coordinatorRequest: false);
            }

            string[] deleted = ex.Results.Where(r => !r.Error.IsError || r.Error.Code == ErrorCode.UnknownTopicOrPart).Select(r => r.Topic).ToArray();
            throw new KappaTransportException(
                $"Could not delete topic(s) on {Description}: {string.Join("; ", failed.Select(r => $"'{r.Topic}': {r.Error.Reason} ({r.Error.Code})"))}"
                + (deleted.Length > 0 ? $". Deleted: {string.Join(", ", deleted.Select(t => $"'{t}'"))}." : "; none was deleted."),
                ex);
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"Could not {operation} on {Description}: {ex.Error.Reason} ({ex.Error.Code}); no deletion was confirmed (list the topics to see which remain).", ex);
        }
    }

    /// <summary>The consumer groups the brokers know (ListGroups, ApiKey 16, on every broker, then DescribeGroups).</summary>
    public IReadOnlyCollection<string> ListConsumerGroups()
    {
        const string operation = "list consumer groups";
        _admin.Require(KafkaApi.ListGroups, operation);
        try
        {
            return _admin.Client.ListGroups(_options.OperationTimeout).Select(g => g.Group).Order(StringComparer.Ordinal).ToArray();
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_UnsupportedFeature)
        {
            throw _admin.Refused(KafkaApi.ListGroups, operation, ex, coordinatorRequest: false);
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"Could not {operation} on {Description}: {ex.Error.Reason} ({ex.Error.Code}).", ex);
        }
    }

    /// <summary>
    /// Deletes a consumer group and its committed offsets (DeleteGroups, ApiKey 42, sent to the group's coordinator). A
    /// group that does not exist is ignored; a group with live members is refused; a broker without DeleteGroups is
    /// refused with <see cref="KafkaUnsupportedApiException"/>, without crashing the process (see docs/kafka.md).
    /// </summary>
    public void DeleteConsumerGroup(string group)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        string operation = $"delete consumer group '{group}'";
        _admin.Require(KafkaApi.DeleteGroups, operation);
        try
        {
            _admin.Client.DeleteGroupsAsync([group], new DeleteGroupsOptions { RequestTimeout = _options.OperationTimeout }).GetAwaiter().GetResult();
        }
        catch (DeleteGroupsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.GroupIdNotFound))
        {
        }
        catch (DeleteGroupsException ex) when (ex.Results.Any(r => r.Error.Code == ErrorCode.Local_UnsupportedFeature))
        {
            throw _admin.Refused(KafkaApi.DeleteGroups, operation, ex, coordinatorRequest: true);
        }
        catch (DeleteGroupsException ex) when (ex.Results.Any(r => r.Error.Code == ErrorCode.NonEmptyGroup))
        {
            throw new KappaTransportException($"Consumer group '{group}' has live members on {Description}; stop them before deleting the group (Broker: {ErrorCode.NonEmptyGroup}). It was not deleted.", ex);
        }
        catch (DeleteGroupsException ex)
        {
            Error error = ex.Results.First(r => r.Error.IsError).Error;
            throw new KappaTransportException($"Could not {operation} on {Description}: {error.Reason} ({error.Code}). It was not deleted.", ex);
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"Could not {operation} on {Description}: {ex.Error.Reason} ({ex.Error.Code}); its deletion was not confirmed (list the groups to see).", ex);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _admin.Dispose();
            _metadataConsumer?.Dispose();
            _metadataConsumer = null;
        }
    }

    private IAdminClient Admin()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _admin.Client;
    }

    /// <summary>Partition counts of every topic (all-topics metadata, so looking a topic up never auto-creates it).</summary>
    private Dictionary<string, int> TopicPartitionCounts()
    {
        Metadata metadata;
        try
        {
            metadata = Admin().GetMetadata(_options.OperationTimeout);
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"Could not read topic metadata from {Description}: {ex.Error.Reason} ({ex.Error.Code}).", ex);
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (TopicMetadata topic in metadata.Topics)
        {
            if (topic.Error.Code == ErrorCode.NoError)
            {
                counts[topic.Topic] = topic.Partitions.Count;
            }
        }

        return counts;
    }

    private static void CheckPartitions(TopicSpec spec, int actual)
    {
        if (actual != spec.Partitions)
        {
            throw new KappaTransportException(
                $"Topic '{spec.Name}' exists with {actual} partition(s) but {spec.Partitions} are required; keyed records would land on "
                + "different partitions. Use a new topic (a new version) or recreate it.");
        }
    }

    private void CheckCleanupPolicies(List<TopicSpec> specs)
    {
        List<DescribeConfigsResult> results;
        try
        {
            results = Admin().DescribeConfigsAsync(specs.Select(s => new ConfigResource { Type = ResourceType.Topic, Name = s.Name }),
                new DescribeConfigsOptions { RequestTimeout = _options.OperationTimeout }).GetAwaiter().GetResult();
        }
        catch (DescribeConfigsException ex)
        {
            DescribeConfigsReport? failed = ex.Results.FirstOrDefault(r => r.Error.IsError);
            throw new KappaTransportException(
                $"Could not read the configuration of topic '{failed?.ConfigResource.Name}' on {Description}: {failed?.Error.Reason}.", ex);
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"Could not read topic configurations from {Description}: {ex.Error.Reason} ({ex.Error.Code}).", ex);
        }

        foreach (DescribeConfigsResult result in results)
        {
            TopicSpec spec = specs.First(s => s.Name == result.ConfigResource.Name);
            string policy = result.Entries.TryGetValue("cleanup.policy", out ConfigEntryResult? entry) ? entry.Value ?? "delete" : "delete";
            bool compacted = policy.Split(',', StringSplitOptions.TrimEntries).Contains("compact");
            if (compacted != spec.Compacted)
            {
                throw new KappaTransportException(
                    $"Topic '{spec.Name}' exists with cleanup.policy={policy} but the topic must be {(spec.Compacted ? "compacted (cleanup.policy=compact)" : "not compacted (cleanup.policy=delete)")}.");
            }
        }
    }

    private void CreateWithAdmin(List<TopicSpec> missing)
    {
        var specifications = missing.Select(spec =>
        {
            var configs = new Dictionary<string, string>
            {
                ["cleanup.policy"] = spec.Compacted ? "compact" : "delete",
                ["retention.ms"] = spec.Retention is { } r ? ((long)r.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : "-1",
            };
            if (spec.RetentionBytes is { } bytes)
            {
                configs["retention.bytes"] = bytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return new TopicSpecification { Name = spec.Name, NumPartitions = spec.Partitions, ReplicationFactor = _options.ReplicationFactor, Configs = configs };
        }).ToList();

        try
        {
            Admin().CreateTopicsAsync(specifications, new CreateTopicsOptions { RequestTimeout = _options.OperationTimeout, OperationTimeout = _options.OperationTimeout })
                .GetAwaiter().GetResult();
        }
        catch (CreateTopicsException ex)
        {
            foreach (CreateTopicReport report in ex.Results)
            {
                if (report.Error.Code == ErrorCode.TopicAlreadyExists)
                {
                    // Created concurrently by someone else: validate what is there now.
                    TopicSpec spec = missing.First(s => s.Name == report.Topic);
                    if (TopicPartitionCounts().TryGetValue(spec.Name, out int count))
                    {
                        CheckPartitions(spec, count);
                    }
                }
                else if (report.Error.IsError)
                {
                    throw new KappaTransportException($"Could not create topic '{report.Topic}' on {Description}: {report.Error.Reason} ({report.Error.Code}).", ex);
                }
            }
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException(
                $"Could not create topics {string.Join(", ", missing.Select(s => $"'{s.Name}'"))} on {Description}: {ex.Error.Reason} ({ex.Error.Code}).", ex);
        }
    }

    private void WaitUntilVisible(List<TopicSpec> created)
    {
        long deadline = Environment.TickCount64 + (long)_options.OperationTimeout.TotalMilliseconds;
        while (true)
        {
            Dictionary<string, int> counts = TopicPartitionCounts();
            TopicSpec? invisible = created.FirstOrDefault(s => !counts.TryGetValue(s.Name, out int n) || n != s.Partitions);
            if (invisible is null)
            {
                return;
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new KappaTransportException(
                    $"Topic '{invisible.Name}' was created on {Description} but its {invisible.Partitions} partition(s) did not appear in the metadata within {_options.OperationTimeout}.");
            }

            Thread.Sleep(50);
        }
    }
}
