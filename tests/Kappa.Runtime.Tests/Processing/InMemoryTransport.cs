using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>
/// A small in-memory <see cref="IKappaTransport"/> for runner tests (test code only; integration tests use the embedded
/// log). One consumer per group owns every partition. Produced records become visible on <see cref="IKappaProducer.Flush"/>.
/// Records every flush, commit, assignment and revocation in <see cref="Events"/> so tests can check their order, and
/// offers hooks to inject failures, revocations and cancellation at exact points. Transactional producers buffer a
/// transaction's records and offsets and apply them together, under one lock, on commit (so consumers only ever see
/// committed records: read-committed by construction); a newer producer with the same transactional id fences older ones.
/// </summary>
public sealed class InMemoryTransport : IKappaTransport
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<List<StoredRecord>>> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, TopicPartition Partition), long> _committed = new();
    private readonly List<string> _events = new();

    public string Description => "in-memory test transport";

    /// <summary>When true, every flush fails with <see cref="KappaTransportException"/> and its records are dropped.</summary>
    public bool FailFlush { get; set; }

    /// <summary>When true, every commit fails with <see cref="KappaTransportException"/>.</summary>
    public bool FailCommit { get; set; }

    /// <summary>When set, every <see cref="GetWatermarks"/> throws <see cref="KappaTransportException"/>.</summary>
    public bool FailWatermarks { get; set; }

    /// <summary>When set, the next poll throws it (once).</summary>
    public Exception? FailNextConsume { get; set; }

    /// <summary>Called (outside the lock) on the consuming thread after each delivered record, with the number delivered so far.</summary>
    public Action<int>? OnConsumed { get; set; }

    /// <summary>Called (outside the lock) on the consuming thread when a consumer finds nothing to read.</summary>
    public Action? OnIdle { get; set; }

    /// <summary>How many of the next transactional produce calls fail with <see cref="KappaTransportException"/>.</summary>
    public int FailTransactionalProduces { get; set; }

    /// <summary>How many of the next transaction commits fail with <see cref="KappaTransportException"/> (the transaction stays open for abort).</summary>
    public int FailTransactionCommits { get; set; }

    /// <summary>
    /// When false, <see cref="IKappaConsumer.Close"/> leaves without calling the revoked callback (as a Kafka consumer may
    /// when its assignment was already lost or it leaves mid-rebalance).
    /// </summary>
    public bool RevokeOnClose { get; set; } = true;

    /// <summary>Transactions committed and aborted so far.</summary>
    public int CommittedTransactions { get; private set; }

    public int AbortedTransactions { get; private set; }

    /// <summary>Consumers created with <see cref="IKappaConsumer.Assign"/> (restore consumers) so far.</summary>
    public int ManualConsumers { get; private set; }

    public bool Disposed { get; private set; }

    public int ClosedConsumers { get; private set; }

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToList();
            }
        }
    }

    public void CreateTopic(string name, int partitions)
    {
        lock (_lock)
        {
            if (!_topics.ContainsKey(name))
            {
                _topics[name] = Enumerable.Range(0, partitions).Select(_ => new List<StoredRecord>()).ToList();
            }
        }
    }

    /// <summary>Appends an input record directly (as another application's producer would).</summary>
    public long Append(string topic, int partition, byte[]? key, byte[]? value, long timestampMs, byte[]? headers = null)
    {
        lock (_lock)
        {
            List<StoredRecord> log = _topics[topic][partition];
            var record = new StoredRecord(topic, partition, log.Count, key, value, timestampMs, headers ?? []);
            log.Add(record);
            Monitor.PulseAll(_lock);
            return record.Offset;
        }
    }

    /// <summary>Every record of a topic, by partition then offset.</summary>
    public IReadOnlyList<StoredRecord> Read(string topic)
    {
        lock (_lock)
        {
            return _topics.TryGetValue(topic, out var partitions) ? partitions.SelectMany(p => p).ToList() : [];
        }
    }

    public bool TopicExists(string topic)
    {
        lock (_lock)
        {
            return _topics.ContainsKey(topic);
        }
    }

    public long? CommittedOffset(string group, string topic, int partition)
    {
        lock (_lock)
        {
            return _committed.TryGetValue((group, new TopicPartition(topic, partition)), out long offset) ? offset : null;
        }
    }

    public void EnsureTopics(IReadOnlyCollection<TopicSpec> topics)
    {
        foreach (TopicSpec spec in topics)
        {
            CreateTopic(spec.Name, spec.Partitions);
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
        if (FailWatermarks)
        {
            throw new KappaTransportException($"Injected: watermarks of {partition} unavailable.");
        }

        lock (_lock)
        {
            return new WatermarkOffsets(0, _topics[partition.Topic][partition.Partition].Count);
        }
    }

    public IKappaConsumer CreateConsumer(ConsumerSettings settings) => new Consumer(this, settings);

    public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId) => new TransactionalProducer(this, transactionalId);

    /// <summary>Fences every producer of <paramref name="transactionalId"/>, as a newer instance's InitTransactions would.</summary>
    public void Fence(string transactionalId)
    {
        lock (_lock)
        {
            _epochs[transactionalId] = _epochs.GetValueOrDefault(transactionalId) + 1;
        }
    }

    private readonly Dictionary<string, int> _epochs = new(StringComparer.Ordinal);

    public IKappaProducer CreateProducer(ProducerSettings settings) => new Producer(this);

    public void Dispose() => Disposed = true;

    private void Event(string text)
    {
        lock (_lock)
        {
            _events.Add(text);
        }
    }

    /// <summary>A stored record; <see cref="Headers"/> is the Kafka header encoding.</summary>
    public sealed record StoredRecord(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, long TimestampMs, byte[] Headers);

    private sealed class Producer(InMemoryTransport transport) : IKappaProducer
    {
        private readonly List<StoredRecord> _pending = new();
        private int _roundRobin;

        public int Pending => _pending.Count;

        public void Discard() => _pending.Clear();

        public void Produce(in OutgoingRecord record)
        {
            int partitions = transport.GetPartitionCount(record.Topic)
                ?? throw new KappaTransportException($"Topic '{record.Topic}' does not exist.");
            int partition = record.Partition >= 0 ? record.Partition
                : record.KeyIsNull ? _roundRobin++ % partitions
                : (int)(StableHash(record.Key) % (uint)partitions);
            if (partition >= partitions)
            {
                throw new KappaTransportException($"Topic '{record.Topic}' has no partition {partition}.");
            }

            _pending.Add(new StoredRecord(
                record.Topic,
                partition,
                -1,
                record.KeyIsNull ? null : record.Key.ToArray(),
                record.ValueIsNull ? null : record.Value.ToArray(),
                record.TimestampMs,
                record.EncodedHeaders.ToArray()));
        }

        public void Flush(CancellationToken cancellationToken = default)
        {
            if (transport.FailFlush)
            {
                _pending.Clear();
                transport.Event("flush-failed");
                throw new KappaTransportException("Injected flush failure: the broker did not acknowledge the records.");
            }

            lock (transport._lock)
            {
                foreach (StoredRecord record in _pending)
                {
                    List<StoredRecord> log = transport._topics[record.Topic][record.Partition];
                    log.Add(record with { Offset = log.Count });
                }

                transport._events.Add($"flush {_pending.Count}");
                _pending.Clear();
                Monitor.PulseAll(transport._lock);
            }
        }

        public void Dispose()
        {
        }

        private static uint StableHash(ReadOnlySpan<byte> key)
        {
            uint hash = 2166136261;
            foreach (byte b in key)
            {
                hash = (hash ^ b) * 16777619;
            }

            return hash;
        }
    }

    private sealed class TransactionalProducer(InMemoryTransport transport, string transactionalId) : ITransactionalProducer
    {
        private readonly Producer _records = new(transport);
        private readonly List<(string Group, TopicPartitionOffset Offset)> _offsets = new();
        private int _epoch = -1;
        private bool _open;

        public void InitTransactions(TimeSpan timeout)
        {
            lock (transport._lock)
            {
                _epoch = transport._epochs.GetValueOrDefault(transactionalId) + 1;
                transport._epochs[transactionalId] = _epoch;
            }

            transport.Event($"txn-init {transactionalId} epoch {_epoch}");
        }

        public void BeginTransaction()
        {
            CheckFenced();
            if (_open)
            {
                throw new InvalidOperationException("A transaction is already open.");
            }

            _open = true;
        }

        public void Produce(in OutgoingRecord record)
        {
            CheckFenced();
            if (!_open)
            {
                throw new InvalidOperationException("Produce outside a transaction.");
            }

            if (transport.FailTransactionalProduces > 0)
            {
                transport.FailTransactionalProduces--;
                transport.Event("txn-produce-failed");
                throw new KappaTransportException("Injected produce failure inside a transaction.");
            }

            _records.Produce(in record);
        }

        public void Flush(CancellationToken cancellationToken = default) => CheckFenced();

        public void SendOffsetsToTransaction(IReadOnlyList<TopicPartitionOffset> offsets, IKappaConsumer consumer, TimeSpan timeout)
        {
            CheckFenced();
            var owner = (Consumer)consumer;
            foreach (TopicPartitionOffset offset in offsets)
            {
                if (!owner.Assignment.Contains(offset.TopicPartition))
                {
                    throw new KappaTransportException($"Offsets of {offset} for a partition the consumer does not own.");
                }

                _offsets.Add((owner.GroupId, offset));
            }
        }

        public void CommitTransaction(TimeSpan timeout)
        {
            CheckFenced();
            if (transport.FailTransactionCommits > 0)
            {
                transport.FailTransactionCommits--;
                transport.Event("txn-commit-failed");
                throw new KappaTransportException("Injected transaction commit failure: the coordinator is not available.");
            }

            lock (transport._lock)
            {
                int records = _records.Pending;
                _records.Flush();
                foreach (var (group, offset) in _offsets)
                {
                    transport._committed[(group, offset.TopicPartition)] = offset.Offset;
                }

                transport._events.Add($"txn-commit {records} " + string.Join(" ", _offsets.Select(o => o.Offset).OrderBy(o => o.Topic, StringComparer.Ordinal).ThenBy(o => o.Partition)));
                transport.CommittedTransactions++;
            }

            _offsets.Clear();
            _open = false;
        }

        public void AbortTransaction(TimeSpan timeout)
        {
            _records.Discard();
            _offsets.Clear();
            _open = false;
            transport.Event("txn-abort");
            lock (transport._lock)
            {
                transport.AbortedTransactions++;
            }
        }

        public void Dispose()
        {
        }

        private void CheckFenced()
        {
            lock (transport._lock)
            {
                if (_epoch < 0)
                {
                    throw new InvalidOperationException("InitTransactions was not called.");
                }

                if (transport._epochs[transactionalId] != _epoch)
                {
                    throw new KappaFencedException($"Producer '{transactionalId}' epoch {_epoch} was fenced by epoch {transport._epochs[transactionalId]}.");
                }
            }
        }
    }

    private sealed class Consumer : IKappaConsumer
    {
        private readonly InMemoryTransport _transport;
        private readonly ConsumerSettings _settings;
        private readonly Dictionary<TopicPartition, long> _positions = new();
        private List<TopicPartition> _assignment = new();
        private IReadOnlyCollection<string> _topics = [];
        private int _next;
        private int _delivered;
        private bool _revokeRequested;
        private bool _manual;
        private readonly HashSet<TopicPartition> _paused = new();

        public string GroupId => _settings.GroupId;

        public Consumer(InMemoryTransport transport, ConsumerSettings settings)
        {
            _transport = transport;
            _settings = settings;
            lock (transport._lock)
            {
                transport._consumers.Add(this);
            }
        }

        public IReadOnlyList<TopicPartition> Assignment => _assignment;

        public void RequestRevoke() => _revokeRequested = !_manual;

        public long Position(TopicPartition partition)
        {
            lock (_transport._lock)
            {
                return _positions.TryGetValue(partition, out long position) ? position : -1;
            }
        }

        public void Pause(IReadOnlyCollection<TopicPartition> partitions)
        {
            _paused.UnionWith(partitions);
            _transport.Event("pause " + string.Join(" ", partitions));
        }

        public void Resume(IReadOnlyCollection<TopicPartition> partitions)
        {
            _paused.ExceptWith(partitions);
            _transport.Event("resume " + string.Join(" ", partitions));
        }

        public void Subscribe(IReadOnlyCollection<string> topics)
        {
            _topics = topics.ToList();
            AssignAll();
        }

        public void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions)
        {
            if (!_manual)
            {
                _manual = true;
                lock (_transport._lock)
                {
                    _transport.ManualConsumers++;
                }
            }

            lock (_transport._lock)
            {
                _positions.Clear();
                foreach (TopicPartitionOffset tpo in partitions)
                {
                    _positions[tpo.TopicPartition] = tpo.Offset;
                }
            }

            _assignment = partitions.Select(p => p.TopicPartition).ToList();
        }

        public bool TryConsume(TimeSpan timeout, out ConsumedRecord record)
        {
            if (_transport.FailNextConsume is Exception failure)
            {
                _transport.FailNextConsume = null;
                throw failure;
            }

            if (_revokeRequested)
            {
                // A rebalance: revoke everything (the runner commits), then take the partitions back from the committed positions.
                _revokeRequested = false;
                _transport.Event("revoke");
                _settings.OnRevoked?.Invoke(_assignment.ToList());
                _transport.Event("revoked");
                AssignAll();
            }

            if (TryNext(out record))
            {
                return true;
            }

            if (!_manual)
            {
                _transport.OnIdle?.Invoke();
            }
            lock (_transport._lock)
            {
                Monitor.Wait(_transport._lock, timeout);
            }

            return TryNext(out record);
        }

        public void Commit(IReadOnlyList<TopicPartitionOffset> offsets)
        {
            if (_transport.FailCommit)
            {
                _transport.Event("commit-failed");
                throw new KappaTransportException("Injected commit failure: the group coordinator is not available.");
            }

            lock (_transport._lock)
            {
                foreach (TopicPartitionOffset offset in offsets)
                {
                    if (!_assignment.Contains(offset.TopicPartition))
                    {
                        throw new KappaTransportException($"Commit of {offset} for a partition this consumer does not own.");
                    }

                    _transport._committed[(_settings.GroupId, offset.TopicPartition)] = offset.Offset;
                }

                _transport._events.Add("commit " + string.Join(" ", offsets.OrderBy(o => o.Topic, StringComparer.Ordinal).ThenBy(o => o.Partition)));
            }
        }

        public long? Committed(TopicPartition partition) => _transport.CommittedOffset(_settings.GroupId, partition.Topic, partition.Partition);

        public void Close()
        {
            if (_manual)
            {
                _assignment = new List<TopicPartition>();
                return;
            }

            _transport.Event("close");
            if (_transport.RevokeOnClose)
            {
                _settings.OnRevoked?.Invoke(_assignment.ToList());
            }

            _assignment = new List<TopicPartition>();
            _transport.ClosedConsumers++;
        }

        public void Dispose()
        {
            lock (_transport._lock)
            {
                _transport._consumers.Remove(this);
            }
        }

        private void AssignAll()
        {
            var assignment = new List<TopicPartition>();
            lock (_transport._lock)
            {
                _positions.Clear();
                foreach (string topic in _topics)
                {
                    if (!_transport._topics.TryGetValue(topic, out var partitions))
                    {
                        continue;
                    }

                    for (int p = 0; p < partitions.Count; p++)
                    {
                        var tp = new TopicPartition(topic, p);
                        assignment.Add(tp);
                        _positions[tp] = _transport._committed.TryGetValue((_settings.GroupId, tp), out long committed) ? committed
                            : _settings.StartFrom == StartPosition.Earliest ? 0 : partitions[p].Count;
                    }
                }
            }

            _assignment = assignment;
            _paused.Clear();
            _transport.Event("assigned " + string.Join(" ", assignment));
            _settings.OnAssigned?.Invoke(assignment);
        }

        private bool TryNext(out ConsumedRecord record)
        {
            StoredRecord? found = null;
            lock (_transport._lock)
            {
                for (int i = 0; i < _assignment.Count && found is null; i++)
                {
                    TopicPartition tp = _assignment[(_next + i) % _assignment.Count];
                    if (_paused.Contains(tp))
                    {
                        continue;
                    }

                    List<StoredRecord> log = _transport._topics[tp.Topic][tp.Partition];
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

            record = new ConsumedRecord(
                found.Topic,
                found.Partition,
                found.Offset,
                found.TimestampMs,
                found.Key,
                found.Key is null,
                found.Value,
                found.Value is null,
                new RecordHeaders(found.Headers));
            if (!_manual)
            {
                _delivered++;
                _transport.OnConsumed?.Invoke(_delivered);
            }
            return true;
        }
    }

    private readonly List<Consumer> _consumers = new();

    /// <summary>Makes every live consumer revoke (and then regain) its partitions on its next poll, as a rebalance would.</summary>
    public void RequestRevokeAll()
    {
        lock (_lock)
        {
            foreach (Consumer consumer in _consumers)
            {
                consumer.RequestRevoke();
            }
        }
    }
}
