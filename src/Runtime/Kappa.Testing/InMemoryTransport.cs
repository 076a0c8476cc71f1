using Kappa.Transport;

namespace Kappa.Testing;

/// <summary>
/// An <see cref="IKappaTransport"/> held in memory, for tests: topics are lists of records, one consumer of a group owns
/// every partition of its subscribed topics, committed offsets are kept per group. Plain producers make records visible
/// on <see cref="IKappaProducer.Flush"/>; transactional producers buffer a transaction's records and offsets and apply
/// them together on commit (so consumers only see committed records, as read-committed Kafka consumers do), and a newer
/// producer with the same transactional id fences older ones. Keyed records without a partition go where Kafka's default
/// partitioner (murmur2) would send them. Thread-safe; nothing reads the clock.
/// </summary>
public sealed class InMemoryTransport : IKappaTransport
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<List<InMemoryRecord>>> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, TopicPartition Partition), long> _committed = new();
    private readonly Dictionary<string, int> _epochs = new(StringComparer.Ordinal);

    public string Description => "in-memory transport";

    public void EnsureTopics(IReadOnlyCollection<TopicSpec> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        lock (_lock)
        {
            foreach (TopicSpec spec in topics)
            {
                if (spec.Partitions < 1)
                {
                    throw new KappaTransportException($"Topic '{spec.Name}': a topic has at least one partition, not {spec.Partitions}.");
                }

                if (!_topics.ContainsKey(spec.Name))
                {
                    _topics[spec.Name] = Enumerable.Range(0, spec.Partitions).Select(_ => new List<InMemoryRecord>()).ToList();
                }
            }
        }
    }

    public int? GetPartitionCount(string topic)
    {
        lock (_lock)
        {
            return _topics.TryGetValue(topic, out var partitions) ? partitions.Count : null;
        }
    }

    public WatermarkOffsets GetWatermarks(TopicPartition partition)
    {
        lock (_lock)
        {
            return new WatermarkOffsets(0, Log(partition).Count);
        }
    }

    /// <summary>Every record of a topic, partition by partition in offset order (empty when the topic does not exist).</summary>
    public IReadOnlyList<InMemoryRecord> Read(string topic)
    {
        lock (_lock)
        {
            return _topics.TryGetValue(topic, out var partitions) ? partitions.SelectMany(p => p).ToList() : [];
        }
    }

    /// <summary>The committed position (next offset to read) of a group on a partition, or null.</summary>
    public long? CommittedOffset(string group, TopicPartition partition)
    {
        lock (_lock)
        {
            return _committed.TryGetValue((group, partition), out long offset) ? offset : null;
        }
    }

    public IKappaConsumer CreateConsumer(ConsumerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Consumer(this, settings);
    }

    public IKappaProducer CreateProducer(ProducerSettings settings) => new Producer(this);

    public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId)
    {
        ArgumentException.ThrowIfNullOrEmpty(transactionalId);
        return new TransactionalProducer(this, transactionalId);
    }

    public void Dispose()
    {
    }

    private List<InMemoryRecord> Log(TopicPartition partition)
    {
        if (!_topics.TryGetValue(partition.Topic, out var partitions))
        {
            throw new KappaTransportException($"Topic '{partition.Topic}' does not exist on the in-memory transport.");
        }

        if ((uint)partition.Partition >= (uint)partitions.Count)
        {
            throw new KappaTransportException($"Topic '{partition.Topic}' has {partitions.Count} partitions; there is no partition {partition.Partition}.");
        }

        return partitions[partition.Partition];
    }

    private void Append(List<InMemoryRecord> pending, List<(string Group, TopicPartitionOffset Offset)>? offsets)
    {
        lock (_lock)
        {
            foreach (InMemoryRecord record in pending)
            {
                List<InMemoryRecord> log = Log(new TopicPartition(record.Topic, record.Partition));
                log.Add(record with { Offset = log.Count });
            }

            if (offsets is not null)
            {
                foreach (var (group, offset) in offsets)
                {
                    _committed[(group, offset.TopicPartition)] = offset.Offset;
                }
            }
        }

        pending.Clear();
    }

    private class Producer(InMemoryTransport transport) : IKappaProducer
    {
        private readonly List<InMemoryRecord> _pending = new();
        private int _roundRobin;

        protected InMemoryTransport Transport => transport;

        public virtual void Produce(in OutgoingRecord record)
        {
            int partitions = transport.GetPartitionCount(record.Topic)
                ?? throw new KappaTransportException($"Topic '{record.Topic}' does not exist on the in-memory transport.");
            int partition = record.Partition >= 0 ? record.Partition
                : record.KeyIsNull ? _roundRobin++ % partitions
                : KafkaPartitioner.Partition(record.Key, partitions);
            if (partition >= partitions)
            {
                throw new KappaTransportException($"Topic '{record.Topic}' has {partitions} partitions; there is no partition {partition}.");
            }

            _pending.Add(new InMemoryRecord(
                record.Topic,
                partition,
                -1,
                record.KeyIsNull ? null : record.Key.ToArray(),
                record.ValueIsNull ? null : record.Value.ToArray(),
                record.TimestampMs,
                record.EncodedHeaders.ToArray()));
        }

        public virtual void Flush(CancellationToken cancellationToken = default) => Publish(null);

        public void Dispose()
        {
        }

        protected void Publish(List<(string Group, TopicPartitionOffset Offset)>? offsets) => transport.Append(_pending, offsets);

        protected void Discard() => _pending.Clear();
    }

    private sealed class TransactionalProducer(InMemoryTransport transport, string transactionalId) : Producer(transport), ITransactionalProducer
    {
        private readonly List<(string Group, TopicPartitionOffset Offset)> _offsets = new();
        private int _epoch = -1;
        private bool _open;

        public void InitTransactions(TimeSpan timeout)
        {
            lock (Transport._lock)
            {
                _epoch = Transport._epochs.GetValueOrDefault(transactionalId) + 1;
                Transport._epochs[transactionalId] = _epoch;
            }
        }

        public void BeginTransaction()
        {
            CheckFenced();
            if (_open)
            {
                throw new InvalidOperationException($"Transactional producer '{transactionalId}': a transaction is already open.");
            }

            _open = true;
        }

        public override void Produce(in OutgoingRecord record)
        {
            CheckOpen();
            base.Produce(in record);
        }

        public override void Flush(CancellationToken cancellationToken = default) => CheckFenced();

        public void SendOffsetsToTransaction(IReadOnlyList<TopicPartitionOffset> offsets, IKappaConsumer consumer, TimeSpan timeout)
        {
            CheckOpen();
            string group = consumer is Consumer owner ? owner.GroupId : throw new ArgumentException("The consumer is not one of this in-memory transport's.", nameof(consumer));
            foreach (TopicPartitionOffset offset in offsets)
            {
                _offsets.Add((group, offset));
            }
        }

        public void CommitTransaction(TimeSpan timeout)
        {
            CheckOpen();
            Publish(_offsets);
            _offsets.Clear();
            _open = false;
        }

        public void AbortTransaction(TimeSpan timeout)
        {
            Discard();
            _offsets.Clear();
            _open = false;
        }

        private void CheckOpen()
        {
            CheckFenced();
            if (!_open)
            {
                throw new InvalidOperationException($"Transactional producer '{transactionalId}': no transaction is open.");
            }
        }

        private void CheckFenced()
        {
            lock (Transport._lock)
            {
                if (_epoch < 0)
                {
                    throw new InvalidOperationException($"Transactional producer '{transactionalId}': InitTransactions was not called.");
                }

                if (Transport._epochs[transactionalId] != _epoch)
                {
                    throw new KappaFencedException($"Transactional producer '{transactionalId}' (epoch {_epoch}) was fenced by a newer producer (epoch {Transport._epochs[transactionalId]}).");
                }
            }
        }
    }

    private sealed class Consumer(InMemoryTransport transport, ConsumerSettings settings) : IKappaConsumer
    {
        private readonly Dictionary<TopicPartition, long> _positions = new();
        private readonly HashSet<TopicPartition> _paused = new();
        private List<TopicPartition> _assignment = new();
        private IReadOnlyCollection<string> _topics = [];
        private bool _subscribed;
        private int _next;

        public string GroupId => settings.GroupId;

        public IReadOnlyList<TopicPartition> Assignment => _assignment;

        public void Subscribe(IReadOnlyCollection<string> topics)
        {
            _topics = topics.ToArray();
            _subscribed = true;
            var assignment = new List<TopicPartition>();
            lock (transport._lock)
            {
                _positions.Clear();
                foreach (string topic in _topics)
                {
                    if (!transport._topics.TryGetValue(topic, out var partitions))
                    {
                        continue;
                    }

                    for (int p = 0; p < partitions.Count; p++)
                    {
                        var tp = new TopicPartition(topic, p);
                        assignment.Add(tp);
                        _positions[tp] = transport._committed.TryGetValue((settings.GroupId, tp), out long committed) ? committed
                            : settings.StartFrom == StartPosition.Earliest ? 0 : partitions[p].Count;
                    }
                }
            }

            _assignment = assignment;
            _paused.Clear();
            settings.OnAssigned?.Invoke(assignment);
        }

        public void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions)
        {
            lock (transport._lock)
            {
                _positions.Clear();
                foreach (TopicPartitionOffset tpo in partitions)
                {
                    transport.Log(tpo.TopicPartition);
                    _positions[tpo.TopicPartition] = tpo.Offset;
                }
            }

            _assignment = partitions.Select(p => p.TopicPartition).ToList();
            _paused.Clear();
        }

        public void Pause(IReadOnlyCollection<TopicPartition> partitions) => _paused.UnionWith(partitions.Where(_assignment.Contains));

        public void Resume(IReadOnlyCollection<TopicPartition> partitions) => _paused.ExceptWith(partitions);

        public long Position(TopicPartition partition)
        {
            lock (transport._lock)
            {
                return _positions.TryGetValue(partition, out long position) ? position : -1;
            }
        }

        /// <summary>Never waits: a test transport has nothing in flight, so an empty poll means there is nothing to read.</summary>
        public bool TryConsume(TimeSpan timeout, out ConsumedRecord record)
        {
            InMemoryRecord? found = null;
            lock (transport._lock)
            {
                for (int i = 0; i < _assignment.Count && found is null; i++)
                {
                    TopicPartition tp = _assignment[(_next + i) % _assignment.Count];
                    if (_paused.Contains(tp))
                    {
                        continue;
                    }

                    List<InMemoryRecord> log = transport.Log(tp);
                    long position = _positions[tp];
                    if (position < log.Count)
                    {
                        found = log[(int)position];
                        _positions[tp] = position + 1;
                        _next = (_next + i + 1) % _assignment.Count;
                    }
                }
            }

            if (found is null)
            {
                record = default;
                return false;
            }

            record = new ConsumedRecord(found.Topic, found.Partition, found.Offset, found.TimestampMs, found.Key, found.Key is null, found.Value, found.Value is null, new RecordHeaders(found.Headers));
            return true;
        }

        public void Commit(IReadOnlyList<TopicPartitionOffset> offsets)
        {
            lock (transport._lock)
            {
                foreach (TopicPartitionOffset offset in offsets)
                {
                    transport._committed[(settings.GroupId, offset.TopicPartition)] = offset.Offset;
                }
            }
        }

        public long? Committed(TopicPartition partition) => transport.CommittedOffset(settings.GroupId, partition);

        public void Close()
        {
            if (_subscribed && _assignment.Count > 0)
            {
                settings.OnRevoked?.Invoke(_assignment.ToList());
            }

            _assignment = new List<TopicPartition>();
            _subscribed = false;
        }

        public void Dispose()
        {
        }
    }
}
