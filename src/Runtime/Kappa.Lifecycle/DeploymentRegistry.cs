using System.Text;
using System.Text.Json;
using Kappa.Naming;
using Kappa.Transport;

namespace Kappa.Lifecycle;

/// <summary>
/// The deployment registry: the compacted one-partition topic <see cref="KappaNames.DeploymentsTopic"/>, shared by every
/// host and tool on the same transport (embedded log or Kafka).
/// <para>
/// Changes are compare-and-set by log order, so they are safe under concurrency on any transport: a writer reads the
/// registry, proposes a transition based on the processor's current sequence S, appends it, and reads the log back. In
/// log order a proposal based on the then-current sequence is accepted (the sequence becomes S+1); every later proposal
/// still based on S is rejected, and its writer gets a <see cref="DeploymentConflictException"/>. Every reader folds the
/// log the same way, so all agree on the winner. Transition records have unique keys (compaction keeps all of them: the
/// history); heartbeats are keyed by instance (compaction keeps the latest).
/// </para>
/// </summary>
public sealed class DeploymentRegistry
{
    private static readonly TopicPartition Partition = new(KappaNames.DeploymentsTopic, 0);
    private readonly IKappaTransport _transport;
    private readonly TimeProvider _time;
    private bool _ensured;

    public DeploymentRegistry(IKappaTransport transport, string? instance = null, TimeProvider? time = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        Instance = string.IsNullOrWhiteSpace(instance) ? DefaultInstance : instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary><c>{machine}/{process id}</c>.</summary>
    public static string DefaultInstance => $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>The instance name recorded with every transition and heartbeat written through this registry.</summary>
    public string Instance { get; }

    public TimeProvider Time => _time;

    public IKappaTransport Transport => _transport;

    /// <summary>Reads the whole registry and folds it into the current deployments.</summary>
    public DeploymentSnapshot Read() => Fold(ReadAll(), null).Snapshot;

    /// <summary>
    /// Proposes a transition of <paramref name="processor"/> based on <paramref name="expectedSequence"/> (the
    /// <see cref="ProcessorDeployment.Sequence"/> the caller read; 0 for a processor never seen). Returns the accepted
    /// transition; throws <see cref="DeploymentConflictException"/> when another change was accepted first.
    /// </summary>
    public DeploymentTransition Propose(
        string processor,
        long expectedSequence,
        string operation,
        IReadOnlyList<VersionChange> changes,
        string reason,
        VersionArtifacts? artifacts = null,
        VerificationResult? verification = null)
    {
        KappaNames.ValidateName(processor, "processor name");
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        string id = Guid.NewGuid().ToString("N");
        var transition = new DeploymentTransition
        {
            Processor = processor,
            Sequence = expectedSequence + 1,
            Operation = operation,
            Changes = changes,
            Time = _time.GetUtcNow(),
            Instance = Instance,
            Reason = reason,
            Artifacts = artifacts,
            Verification = verification,
        };
        var record = new RegistryRecord { Kind = RegistryRecord.TransitionKind, Id = id, Expected = expectedSequence, Transition = transition };
        Append($"t/{processor}/{expectedSequence + 1}/{id}", record);

        Folded folded = Fold(ReadAll(), id);
        if (folded.Accepted is { } accepted)
        {
            return accepted;
        }

        DeploymentTransition? winner = folded.Snapshot.Find(processor)?.History.FirstOrDefault(t => t.Sequence == expectedSequence + 1);
        throw new DeploymentConflictException(processor, expectedSequence, winner);
    }

    /// <summary>Records that this instance runs <paramref name="running"/> now.</summary>
    /// <param name="running">Processor ids <c>{name}.v{N}</c>.</param>
    /// <param name="sinkLags">The lag of the host's sink writers by table, when it runs any.</param>
    public void Heartbeat(IReadOnlyList<string> running, IReadOnlyDictionary<string, long>? sinkLags = null)
    {
        ArgumentNullException.ThrowIfNull(running);
        var heartbeat = new HostHeartbeat { Instance = Instance, Time = _time.GetUtcNow(), Running = running.ToArray(), SinkLags = sinkLags };
        Append("h/" + Instance, new RegistryRecord { Kind = RegistryRecord.HeartbeatKind, Heartbeat = heartbeat });
    }

    private void EnsureTopic()
    {
        if (!_ensured)
        {
            _transport.EnsureTopics([new TopicSpec(KappaNames.DeploymentsTopic, 1, Compacted: true)]);
            _ensured = true;
        }
    }

    private void Append(string key, RegistryRecord record)
    {
        EnsureTopic();
        byte[] value = JsonSerializer.SerializeToUtf8Bytes(record, LifecycleJson.Options);
        using IKappaProducer producer = _transport.CreateProducer(new ProducerSettings { ClientId = "kappa-deployments" });
        producer.Produce(new OutgoingRecord(KappaNames.DeploymentsTopic, Encoding.UTF8.GetBytes(key), value)
        {
            Partition = 0,
            TimestampMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        producer.Flush();
    }

    private List<RegistryRecord> ReadAll()
    {
        EnsureTopic();
        var records = new List<RegistryRecord>();
        WatermarkOffsets marks = _transport.GetWatermarks(Partition);
        if (marks.High <= marks.Low)
        {
            return records;
        }

        using IKappaConsumer consumer = _transport.CreateConsumer(new ConsumerSettings { GroupId = "_kappa.deployments.reader", ClientId = "kappa-deployments-reader" });
        consumer.Assign([new TopicPartitionOffset(Partition.Topic, 0, marks.Low)]);
        long last = -1;
        while (last < marks.High - 1)
        {
            if (!consumer.TryConsume(TimeSpan.FromSeconds(10), out ConsumedRecord record))
            {
                throw new TimeoutException($"Reading {KappaNames.DeploymentsTopic} on {_transport.Description} stalled at offset {last + 1} of {marks.High}.");
            }

            last = record.Offset;
            if (record.ValueIsNull || record.Value.IsEmpty)
            {
                continue;
            }

            RegistryRecord? value;
            try
            {
                value = JsonSerializer.Deserialize<RegistryRecord>(record.Value, LifecycleJson.Options);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"Record {record.Offset} of {KappaNames.DeploymentsTopic} on {_transport.Description} is not a deployment record: {ex.Message}", ex);
            }

            if (value is not null)
            {
                records.Add(value);
            }
        }

        consumer.Close();
        return records;
    }

    private static Folded Fold(List<RegistryRecord> records, string? wanted)
    {
        var processors = new Dictionary<string, Builder>(StringComparer.Ordinal);
        var heartbeats = new Dictionary<string, HostHeartbeat>(StringComparer.Ordinal);
        DeploymentTransition? accepted = null;
        int rejected = 0;
        foreach (RegistryRecord record in records)
        {
            if (record.Kind == RegistryRecord.HeartbeatKind && record.Heartbeat is { } hb)
            {
                heartbeats[hb.Instance] = hb;
                continue;
            }

            if (record.Kind != RegistryRecord.TransitionKind || record.Transition is not { } t)
            {
                continue;
            }

            if (!processors.TryGetValue(t.Processor, out Builder? builder))
            {
                builder = new Builder(t.Processor);
                processors[t.Processor] = builder;
            }

            if (record.Expected != builder.Sequence)
            {
                rejected++;
                continue;
            }

            DeploymentTransition applied = t with { Sequence = builder.Sequence + 1 };
            builder.Apply(applied);
            if (record.Id == wanted)
            {
                accepted = applied;
            }
        }

        var snapshot = new DeploymentSnapshot
        {
            Processors = processors.ToDictionary(p => p.Key, p => p.Value.Build(), StringComparer.Ordinal),
            Heartbeats = heartbeats.Values.OrderBy(h => h.Instance, StringComparer.Ordinal).ToArray(),
            Rejected = rejected,
        };
        return new Folded(snapshot, accepted);
    }

    private sealed record Folded(DeploymentSnapshot Snapshot, DeploymentTransition? Accepted);

    private sealed class Builder(string processor)
    {
        private readonly SortedDictionary<int, VersionStatus> _versions = new();
        private readonly List<DeploymentTransition> _history = new();

        public long Sequence { get; private set; }

        public void Apply(DeploymentTransition t)
        {
            Sequence = t.Sequence;
            _history.Add(t);
            if (t.Artifacts is { } artifacts && !_versions.ContainsKey(artifacts.Version))
            {
                _versions[artifacts.Version] = new VersionStatus { Version = artifacts.Version, State = VersionState.Replaying, Since = t.Time, Artifacts = artifacts };
            }

            if (t.Verification is { } verification && _versions.TryGetValue(verification.Version, out VersionStatus? verified))
            {
                _versions[verification.Version] = verified with { Verification = verification };
            }

            foreach (VersionChange change in t.Changes)
            {
                if (_versions.TryGetValue(change.Version, out VersionStatus? current) && current.State != change.State)
                {
                    _versions[change.Version] = current with { State = change.State, Since = t.Time };
                }
            }
        }

        public ProcessorDeployment Build() => new()
        {
            Processor = processor,
            Sequence = Sequence,
            Versions = _versions.Values.ToArray(),
            History = _history.ToArray(),
        };
    }
}
