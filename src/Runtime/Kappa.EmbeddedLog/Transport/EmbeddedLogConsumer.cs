using Kappa.Log.Format;
using Kappa.Transport;
using Microsoft.Extensions.Logging;

namespace Kappa.Log.Transport;

/// <summary>A consumer on the embedded log: group member (<see cref="Subscribe"/>) or manual (<see cref="Assign"/>). Thread-affine.</summary>
internal sealed class EmbeddedLogConsumer : IKappaConsumer
{
    private const int FairnessRecords = 4096;

    /// <summary>SpinWait iterations (most of them yields) a consumer spends waiting for its read-ahead worker before it blocks.</summary>
    private const int BehindSpins = 100;

    private readonly EmbeddedLogTransport _transport;
    private readonly ConsumerSettings _settings;
    private readonly List<Owned> _owned = new();
    private readonly List<TopicPartition> _revoke = new();
    private readonly List<TopicPartition> _assign = new();
    private readonly HashSet<TopicPartition> _paused = new();
    private TopicPartition[] _assignment = Array.Empty<TopicPartition>();
    private bool _subscribed;
    private bool _manual;
    private bool _closed;
    private int _current;
    private int _deliveredFromCurrent;
    private long _seenGroupVersion = -1;
    private readonly ReadAheadWorker? _worker;

    // What TryConsume waits on: the worker's signal, which also carries every log signal (appends, group changes), or
    // the log's own signal without read-ahead.
    private readonly Storage.LogSignal _signal;

    public EmbeddedLogConsumer(EmbeddedLogTransport transport, ConsumerSettings settings)
    {
        _transport = transport;
        _settings = settings;

        // The worker's thread starts with the first assigned partition.
        _worker = transport.Log.Options.ReadAhead
            ? new ReadAheadWorker(transport.Log.Signal, () => transport.IsDisposed, $"kappa-read-ahead {settings.GroupId}")
            : null;
        _signal = _worker?.Signal ?? transport.Log.Signal;
    }

    public IReadOnlyList<TopicPartition> Assignment => _assignment;

    internal string GroupId => _settings.GroupId;

    internal EmbeddedLogTransport Transport => _transport;

    /// <summary>The read-ahead worker when read-ahead is on (tests).</summary>
    internal ReadAheadWorker? ReadAheadWorker => _worker;

    public void Subscribe(IReadOnlyCollection<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ThrowIfClosed();
        if (_manual)
        {
            throw new InvalidOperationException("This consumer was given partitions with Assign; a consumer either subscribes to a group or is assigned manually, not both.");
        }

        foreach (string t in topics)
        {
            Naming.KappaNames.ValidateName(t, "topic");
        }

        _subscribed = true;
        _transport.Coordinator.Join(_settings.GroupId, this, topics);
    }

    public void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfClosed();
        if (_subscribed)
        {
            throw new InvalidOperationException($"This consumer subscribed to group '{_settings.GroupId}'; a consumer either subscribes or is assigned manually, not both.");
        }

        _manual = true;
        DisposeReaders();
        foreach (TopicPartitionOffset tpo in partitions)
        {
            PartitionLog log = _transport.GetPartitionOrThrow(tpo.TopicPartition);
            long start = tpo.Offset switch
            {
                >= 0 => tpo.Offset,
                -1 => log.LogEndOffset,
                -2 => log.LogStartOffset,
                _ => StartOffset(log),
            };
            _owned.Add(new Owned(tpo.TopicPartition, OpenFeed(log, start)));
        }

        _assignment = _owned.Select(o => o.Partition).ToArray();
    }

    public bool TryConsume(TimeSpan timeout, out ConsumedRecord record)
    {
        ThrowIfClosed();

        // The hot path: the partition being read has a record ready, no partition is paused and the group did not change.
        int current = _current;
        List<Owned> owned = _owned;
        if (_deliveredFromCurrent < FairnessRecords && (uint)current < (uint)owned.Count && _paused.Count == 0
            && (!_subscribed || _transport.Coordinator.Version == _seenGroupVersion))
        {
            Owned o = owned[current];
            if (o.Feed.TryRead(out BatchRecord r))
            {
                _deliveredFromCurrent++;
                record = o.Deliver(r);
                return true;
            }
        }

        return TryConsumeWaiting(timeout, out record);
    }

    /// <summary>Group changes, fairness, other partitions, and waiting for records (the log signal, the read-ahead worker, the timeout).</summary>
    private bool TryConsumeWaiting(TimeSpan timeout, out ConsumedRecord record)
    {
        // A negative timeout (Timeout.InfiniteTimeSpan) waits until a record arrives or the transport closes.
        // The clock is read only when there is nothing to deliver (the hot path never touches it).
        long deadline = long.MinValue;

        // The log as of this call: with read-ahead, the call waits until the worker has read every partition this far.
        long logVersion = _transport.Log.Signal.Version;
        SpinWait spinner = default;
        while (true)
        {
            long seen = _signal.Version;
            long groupVersion = _transport.Coordinator.Version;
            if (_subscribed && groupVersion != _seenGroupVersion)
            {
                _seenGroupVersion = groupVersion;
                PollGroup();
            }

            int n = _owned.Count;
            if (n > 0 && _deliveredFromCurrent >= FairnessRecords)
            {
                // Give the other partitions a turn after a long run on one.
                _deliveredFromCurrent = 0;
                _current = (_current + 1) % n;
            }

            for (int i = 0; i < n; i++)
            {
                if (_current >= n)
                {
                    _current = 0;
                }

                Owned owned = _owned[_current];
                if (!IsPaused(owned) && owned.Feed.TryRead(out BatchRecord r))
                {
                    _deliveredFromCurrent++;
                    record = owned.Deliver(r);
                    return true;
                }

                _deliveredFromCurrent = 0;
                _current++;
            }

            if (_worker is not null && AnyFeedBehind(logVersion) && !_transport.IsDisposed)
            {
                // Records are in the log but not read ahead yet: wait for the worker, whatever the timeout
                // (a zero timeout means "what the log has now", as without read-ahead). The worker is busy filling
                // a chunk, usually done within microseconds: spin a little first, since waking a blocked thread
                // can take longer than that (SpinWait yields at once on a single processor).
                if (spinner.Count < BehindSpins)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }

                _signal.Wait(seen, TimeSpan.FromMilliseconds(100));
                spinner.Reset();
                continue;
            }

            if (deadline == long.MinValue)
            {
                deadline = timeout < TimeSpan.Zero ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            }

            long remaining = deadline == long.MaxValue ? int.MaxValue : deadline - Environment.TickCount64;
            if (remaining <= 0 || _transport.IsDisposed)
            {
                record = default;
                return false;
            }

            _signal.Wait(seen, TimeSpan.FromMilliseconds(Math.Min(remaining, int.MaxValue)));
        }
    }

    public long Position(TopicPartition partition)
    {
        foreach (Owned owned in _owned)
        {
            if (owned.Partition == partition)
            {
                return owned.Feed.Position;
            }
        }

        return -1;
    }

    public void Pause(IReadOnlyCollection<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfClosed();
        _paused.UnionWith(partitions);
    }

    public void Resume(IReadOnlyCollection<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfClosed();
        _paused.ExceptWith(partitions);
    }

    public void Commit(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ThrowIfClosed();
        _transport.Offsets.Commit(_settings.GroupId, offsets);
    }

    public long? Committed(TopicPartition partition) => _transport.Offsets.Get(_settings.GroupId, partition);

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (_subscribed)
        {
            TopicPartition[] revoked = _owned.Select(o => o.Partition).ToArray();
            DisposeReaders();
            _assignment = Array.Empty<TopicPartition>();
            _transport.Coordinator.Leave(_settings.GroupId, this);
            if (revoked.Length > 0)
            {
                _settings.OnRevoked?.Invoke(revoked);
            }
        }
        else
        {
            DisposeReaders();
            _assignment = Array.Empty<TopicPartition>();
        }

        _worker?.Dispose();
    }

    public void Dispose() => Close();

    private void PollGroup()
    {
        _revoke.Clear();
        _assign.Clear();
        _transport.Coordinator.Poll(_settings.GroupId, this, _revoke, _assign);
        if (_revoke.Count == 0 && _assign.Count == 0)
        {
            return;
        }

        if (_revoke.Count > 0)
        {
            for (int i = _owned.Count - 1; i >= 0; i--)
            {
                if (_revoke.Contains(_owned[i].Partition))
                {
                    DisposeFeed(_owned[i].Feed);
                    _owned.RemoveAt(i);
                }
            }

            _assignment = _owned.Select(o => o.Partition).ToArray();
            _paused.ExceptWith(_revoke);
            _settings.OnRevoked?.Invoke(_revoke.ToArray());
        }

        if (_assign.Count > 0)
        {
            TopicPartition[] assigned = _assign.ToArray();
            foreach (TopicPartition tp in assigned)
            {
                PartitionLog log = _transport.GetPartitionOrThrow(tp);
                _owned.Add(new Owned(tp, OpenFeed(log, StartOffset(log))));
            }

            _owned.Sort((a, b) => a.Partition.Topic == b.Partition.Topic ? a.Partition.Partition.CompareTo(b.Partition.Partition) : string.CompareOrdinal(a.Partition.Topic, b.Partition.Topic));
            _assignment = _owned.Select(o => o.Partition).ToArray();
            _transport.Log.Options.Logger.LogDebug("Embedded log: group {Group} assigned {Partitions}.", _settings.GroupId, string.Join(", ", assigned));
            _settings.OnAssigned?.Invoke(assigned);
        }
    }

    private long StartOffset(PartitionLog log)
    {
        long? committed = _transport.Offsets.Get(_settings.GroupId, new TopicPartition(log.Topic, log.Partition));
        if (committed is { } c)
        {
            return c;
        }

        return _settings.StartFrom == StartPosition.Latest ? log.LogEndOffset : log.LogStartOffset;
    }

    /// <summary>A partition's feed: read ahead on this consumer's worker thread, or directly (EmbeddedLogOptions.ReadAhead).</summary>
    private PartitionFeed OpenFeed(PartitionLog log, long start)
    {
        var feed = new PartitionFeed(log.OpenReader(start, _settings.ReadCommitted), _worker);
        _worker?.Add(feed);
        return feed;
    }

    private bool AnyFeedBehind(long logVersion)
    {
        foreach (Owned owned in _owned)
        {
            if (!IsPaused(owned) && owned.Feed.IsBehind(logVersion))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsPaused(Owned owned) => _paused.Count > 0 && _paused.Contains(owned.Partition);

    private void DisposeFeed(PartitionFeed feed)
    {
        _worker?.Remove(feed);
        feed.Dispose();
    }

    private void DisposeReaders()
    {
        foreach (Owned o in _owned)
        {
            DisposeFeed(o.Feed);
        }

        _owned.Clear();
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new ObjectDisposedException(nameof(EmbeddedLogConsumer), "The consumer is closed.");
        }
    }

    private sealed record Owned(TopicPartition Partition, PartitionFeed Feed)
    {
        public ConsumedRecord Deliver(BatchRecord r) =>
            new(Partition.Topic, Partition.Partition, r.Offset, r.TimestampMs, r.Key, r.KeyIsNull, r.Value, r.ValueIsNull, r.Headers);
    }
}
