using Kappa.Log.Format;
using Kappa.Transport;
using Microsoft.Extensions.Logging;

namespace Kappa.Log.Transport;

/// <summary>A consumer on the embedded log: group member (<see cref="Subscribe"/>) or manual (<see cref="Assign"/>). Thread-affine.</summary>
internal sealed class EmbeddedLogConsumer : IKappaConsumer
{
    private const int FairnessRecords = 4096;

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

    public EmbeddedLogConsumer(EmbeddedLogTransport transport, ConsumerSettings settings)
    {
        _transport = transport;
        _settings = settings;
    }

    public IReadOnlyList<TopicPartition> Assignment => _assignment;

    internal string GroupId => _settings.GroupId;

    internal EmbeddedLogTransport Transport => _transport;

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
            _owned.Add(new Owned(tpo.TopicPartition, log.OpenReader(start, _settings.ReadCommitted)));
        }

        _assignment = _owned.Select(o => o.Partition).ToArray();
    }

    public bool TryConsume(TimeSpan timeout, out ConsumedRecord record)
    {
        ThrowIfClosed();
        // A negative timeout (Timeout.InfiniteTimeSpan) waits until a record arrives or the transport closes.
        // The clock is read only when there is nothing to deliver (the hot path never touches it).
        long deadline = long.MinValue;
        while (true)
        {
            long seen = _transport.Log.Signal.Version;
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
                if ((_paused.Count == 0 || !_paused.Contains(owned.Partition)) && owned.Reader.TryRead(out BatchRecord r))
                {
                    _deliveredFromCurrent++;
                    record = new ConsumedRecord(owned.Partition.Topic, owned.Partition.Partition, r.Offset, r.TimestampMs, r.Key, r.KeyIsNull, r.Value, r.ValueIsNull, r.Headers);
                    return true;
                }

                _deliveredFromCurrent = 0;
                _current++;
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

            _transport.Log.Signal.Wait(seen, TimeSpan.FromMilliseconds(Math.Min(remaining, int.MaxValue)));
        }
    }

    public long Position(TopicPartition partition)
    {
        foreach (Owned owned in _owned)
        {
            if (owned.Partition == partition)
            {
                return owned.Reader.Position;
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
                    _owned[i].Reader.Dispose();
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
                _owned.Add(new Owned(tp, log.OpenReader(StartOffset(log), _settings.ReadCommitted)));
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

    private void DisposeReaders()
    {
        foreach (Owned o in _owned)
        {
            o.Reader.Dispose();
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

    private sealed record Owned(TopicPartition Partition, PartitionReader Reader);
}
