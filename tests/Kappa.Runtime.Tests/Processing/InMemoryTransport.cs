using Kappa.Transport;
using MemoryTransport = Kappa.Testing.InMemoryTransport;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>
/// Kappa.Testing's <see cref="MemoryTransport"/> (which keeps the topics, offsets, transactions and fencing) with what
/// runner tests need on top of it, and only that: a journal of every flush, commit, assignment and revocation in
/// <see cref="Events"/> so tests can check their order; hooks that inject failures, revocations and cancellation at exact
/// points; consumers that wait for records (the public transport never waits, since a test driver has nothing in flight,
/// but the runner's threads here race real producers).
/// </summary>
public sealed class InMemoryTransport : IKappaTransport
{
    private readonly MemoryTransport _inner = new();
    private readonly object _lock = new();
    private readonly List<string> _events = new();
    private readonly List<Consumer> _consumers = new();
    private readonly Dictionary<string, int> _epochs = new(StringComparer.Ordinal);
    private readonly IKappaProducer _appender;

    public InMemoryTransport() => _appender = _inner.CreateProducer(new ProducerSettings());

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

    public void CreateTopic(string name, int partitions) => _inner.EnsureTopics([new TopicSpec(name, partitions)]);

    /// <summary>Appends an input record directly (as another application's producer would) and returns its offset.</summary>
    public long Append(string topic, int partition, byte[]? key, byte[]? value, long timestampMs, byte[]? headers = null)
    {
        lock (_lock)
        {
            long offset = _inner.GetWatermarks(new TopicPartition(topic, partition)).High;
            _appender.Produce(new OutgoingRecord(topic, key, value)
            {
                Partition = partition,
                KeyIsNull = key is null,
                ValueIsNull = value is null,
                TimestampMs = timestampMs,
                EncodedHeaders = headers,
            });
            _appender.Flush();
            Monitor.PulseAll(_lock);
            return offset;
        }
    }

    /// <summary>Every record of a topic, by partition then offset.</summary>
    public IReadOnlyList<Kappa.Testing.InMemoryRecord> Read(string topic) => _inner.Read(topic);

    public bool TopicExists(string topic) => _inner.GetPartitionCount(topic) is not null;

    public long? CommittedOffset(string group, string topic, int partition) => _inner.CommittedOffset(group, new TopicPartition(topic, partition));

    public void EnsureTopics(IReadOnlyCollection<TopicSpec> topics) => _inner.EnsureTopics(topics);

    public int? GetPartitionCount(string topic) => _inner.GetPartitionCount(topic);

    public WatermarkOffsets GetWatermarks(TopicPartition partition) => FailWatermarks
        ? throw new KappaTransportException($"Injected: watermarks of {partition} unavailable.")
        : _inner.GetWatermarks(partition);

    public IKappaConsumer CreateConsumer(ConsumerSettings settings) => new Consumer(this, settings);

    public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId) => new TransactionalProducer(this, settings, transactionalId);

    public IKappaProducer CreateProducer(ProducerSettings settings) => new Producer(this, settings);

    /// <summary>Fences every producer of <paramref name="transactionalId"/>, as a newer instance's InitTransactions would.</summary>
    public void Fence(string transactionalId)
    {
        using ITransactionalProducer newer = _inner.CreateTransactionalProducer(new ProducerSettings(), transactionalId);
        newer.InitTransactions(TimeSpan.Zero);
        NextEpoch(transactionalId);
    }

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

    public void Dispose() => Disposed = true;

    private void Event(string text)
    {
        lock (_lock)
        {
            _events.Add(text);
        }
    }

    /// <summary>Records the event and wakes waiting consumers: records became visible.</summary>
    private void Published(string text)
    {
        lock (_lock)
        {
            _events.Add(text);
            Monitor.PulseAll(_lock);
        }
    }

    private int NextEpoch(string transactionalId)
    {
        lock (_lock)
        {
            return _epochs[transactionalId] = _epochs.GetValueOrDefault(transactionalId) + 1;
        }
    }

    private sealed class Producer(InMemoryTransport transport, ProducerSettings settings) : IKappaProducer
    {
        private IKappaProducer _inner = transport._inner.CreateProducer(settings);
        private int _pending;

        public void Produce(in OutgoingRecord record)
        {
            _inner.Produce(in record);
            _pending++;
        }

        public void Flush(CancellationToken cancellationToken = default)
        {
            int records = _pending;
            _pending = 0;
            if (transport.FailFlush)
            {
                // The public producer only drops what it buffered when it is disposed unflushed.
                _inner.Dispose();
                _inner = transport._inner.CreateProducer(settings);
                transport.Event("flush-failed");
                throw new KappaTransportException("Injected flush failure: the broker did not acknowledge the records.");
            }

            lock (transport._lock)
            {
                _inner.Flush(cancellationToken);
                transport.Published($"flush {records}");
            }
        }

        public void Dispose() => _inner.Dispose();
    }

    private sealed class TransactionalProducer(InMemoryTransport transport, ProducerSettings settings, string transactionalId) : ITransactionalProducer
    {
        private readonly ITransactionalProducer _inner = transport._inner.CreateTransactionalProducer(settings, transactionalId);
        private readonly List<TopicPartitionOffset> _offsets = new();
        private int _records;

        public void InitTransactions(TimeSpan timeout)
        {
            _inner.InitTransactions(timeout);
            transport.Event($"txn-init {transactionalId} epoch {transport.NextEpoch(transactionalId)}");
        }

        public void BeginTransaction() => _inner.BeginTransaction();

        public void Produce(in OutgoingRecord record)
        {
            _inner.Flush(); // checks the fence before the injected failure, as a broker would refuse a fenced producer first
            if (transport.FailTransactionalProduces > 0)
            {
                transport.FailTransactionalProduces--;
                transport.Event("txn-produce-failed");
                throw new KappaTransportException("Injected produce failure inside a transaction.");
            }

            _inner.Produce(in record);
            _records++;
        }

        public void Flush(CancellationToken cancellationToken = default) => _inner.Flush(cancellationToken);

        public void SendOffsetsToTransaction(IReadOnlyList<TopicPartitionOffset> offsets, IKappaConsumer consumer, TimeSpan timeout)
        {
            var owner = (Consumer)consumer;
            foreach (TopicPartitionOffset offset in offsets)
            {
                if (!owner.Assignment.Contains(offset.TopicPartition))
                {
                    throw new KappaTransportException($"Offsets of {offset} for a partition the consumer does not own.");
                }
            }

            _inner.SendOffsetsToTransaction(offsets, owner.Inner, timeout);
            _offsets.AddRange(offsets);
        }

        public void CommitTransaction(TimeSpan timeout)
        {
            _inner.Flush();
            if (transport.FailTransactionCommits > 0)
            {
                transport.FailTransactionCommits--;
                transport.Event("txn-commit-failed");
                throw new KappaTransportException("Injected transaction commit failure: the coordinator is not available.");
            }

            lock (transport._lock)
            {
                _inner.CommitTransaction(timeout);
                transport.CommittedTransactions++;
                transport.Published($"txn-commit {_records} " + string.Join(" ", _offsets.OrderBy(o => o.Topic, StringComparer.Ordinal).ThenBy(o => o.Partition)));
            }

            _offsets.Clear();
            _records = 0;
        }

        public void AbortTransaction(TimeSpan timeout)
        {
            _inner.AbortTransaction(timeout);
            _offsets.Clear();
            _records = 0;
            lock (transport._lock)
            {
                transport._events.Add("txn-abort");
                transport.AbortedTransactions++;
            }
        }

        public void Dispose() => _inner.Dispose();
    }

    /// <summary>
    /// A consumer over the public one. It calls the settings' callbacks itself (the inner consumer gets none but the
    /// assignment journal), so revocations can be injected and <see cref="RevokeOnClose"/> can withhold one.
    /// </summary>
    private sealed class Consumer : IKappaConsumer
    {
        private readonly InMemoryTransport _transport;
        private readonly ConsumerSettings _settings;
        private IReadOnlyCollection<string> _topics = [];
        private int _delivered;
        private bool _revokeRequested;
        private bool _manual;

        public Consumer(InMemoryTransport transport, ConsumerSettings settings)
        {
            _transport = transport;
            _settings = settings;
            Inner = transport._inner.CreateConsumer(new ConsumerSettings
            {
                GroupId = settings.GroupId,
                ClientId = settings.ClientId,
                StartFrom = settings.StartFrom,
                ReadCommitted = settings.ReadCommitted,
                TransportProperties = settings.TransportProperties,
                OnAssigned = Assigned,
            });
            lock (transport._lock)
            {
                transport._consumers.Add(this);
            }
        }

        public IKappaConsumer Inner { get; }

        public IReadOnlyList<TopicPartition> Assignment => Inner.Assignment;

        public void RequestRevoke() => _revokeRequested = !_manual;

        public long Position(TopicPartition partition) => Inner.Position(partition);

        public void Pause(IReadOnlyCollection<TopicPartition> partitions)
        {
            Inner.Pause(partitions);
            _transport.Event("pause " + string.Join(" ", partitions));
        }

        public void Resume(IReadOnlyCollection<TopicPartition> partitions)
        {
            Inner.Resume(partitions);
            _transport.Event("resume " + string.Join(" ", partitions));
        }

        public void Subscribe(IReadOnlyCollection<string> topics)
        {
            _topics = topics.ToList();
            Inner.Subscribe(_topics);
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

            Inner.Assign(partitions);
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
                _settings.OnRevoked?.Invoke(Inner.Assignment.ToList());
                _transport.Event("revoked");
                Inner.Subscribe(_topics);
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

            foreach (TopicPartitionOffset offset in offsets)
            {
                if (!Inner.Assignment.Contains(offset.TopicPartition))
                {
                    throw new KappaTransportException($"Commit of {offset} for a partition this consumer does not own.");
                }
            }

            lock (_transport._lock)
            {
                Inner.Commit(offsets);
                _transport._events.Add("commit " + string.Join(" ", offsets.OrderBy(o => o.Topic, StringComparer.Ordinal).ThenBy(o => o.Partition)));
            }
        }

        public long? Committed(TopicPartition partition) => Inner.Committed(partition);

        public void Close()
        {
            if (_manual)
            {
                Inner.Close();
                return;
            }

            _transport.Event("close");
            if (_transport.RevokeOnClose)
            {
                _settings.OnRevoked?.Invoke(Inner.Assignment.ToList());
            }

            Inner.Close();
            _transport.ClosedConsumers++;
        }

        public void Dispose()
        {
            Inner.Dispose();
            lock (_transport._lock)
            {
                _transport._consumers.Remove(this);
            }
        }

        private void Assigned(IReadOnlyList<TopicPartition> assignment)
        {
            _transport.Event("assigned " + string.Join(" ", assignment));
            _settings.OnAssigned?.Invoke(assignment);
        }

        private bool TryNext(out ConsumedRecord record)
        {
            if (!Inner.TryConsume(TimeSpan.Zero, out record))
            {
                return false;
            }

            if (!_manual)
            {
                _delivered++;
                _transport.OnConsumed?.Invoke(_delivered);
            }

            return true;
        }
    }
}
