using System.Diagnostics;
using Kappa.State;
using Kappa.Transport;
using Microsoft.Extensions.Logging;

namespace Kappa.Processing;

/// <summary>
/// The runner's state side: creates a partition's stores when the partition is assigned, restores them (snapshot, then
/// changelog) in bounded chunks while the partition's inputs are paused, attaches them to the <see cref="StateStoreSet"/>
/// when done, and on revocation snapshots clean stores and keeps them warm (so a partition that comes back, or a
/// consumer rebuilt after an aborted transaction, restores only the changelog tail) or drops stores with uncommitted
/// changes (the rollback). Runs on the runner's thread.
/// </summary>
internal sealed class PartitionStateManager : IDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a restore consumer of a transport that cannot report positions (<see cref="IKappaConsumer.Position"/>
    /// returns -1) may deliver nothing before the rest is taken to be transaction markers or aborted records.
    /// </summary>
    private static readonly TimeSpan IdleCompletion = TimeSpan.FromSeconds(2);

    private readonly ProcessorDescriptor _descriptor;
    private readonly IKappaTransport _transport;
    private readonly ProcessorOptions _options;
    private readonly ILogger _logger;
    private readonly StateStoreSet _set;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly Dictionary<string, int> _storeByChangelog = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Slot> _slots = new();
    private readonly Dictionary<int, IStateStore[]> _warm = new();
    // The restore consumer's assignment and the targets it was made for. A consumer is assigned once and disposed when
    // its restores are done or others must be added: librdkafka can fail an assertion (and abort the process) when a
    // consumer's assignment is replaced again before the previous replacement finished stopping its fetchers.
    private readonly List<TopicPartitionOffset> _restoreAssignment = new();
    private readonly List<RestoreTarget> _assignedTargets = new();
    private IKappaConsumer? _restoreConsumer;
    private bool _reassign;
    private long _lastProgress;
    private long _idleSince;
    private int _restoring;

    public PartitionStateManager(ProcessorDescriptor descriptor, IKappaTransport transport, ProcessorOptions options, ILogger logger, StateStoreSet set)
    {
        _descriptor = descriptor;
        _transport = transport;
        _options = options;
        _logger = logger;
        _set = set;
        _tag = new KeyValuePair<string, object?>(KappaMetrics.ProcessorTag, descriptor.Id);
        for (int i = 0; i < descriptor.Stores.Count; i++)
        {
            _storeByChangelog[descriptor.Stores[i].ChangelogTopic] = i;
        }
    }

    /// <summary>True while some assigned partition is still being restored.</summary>
    public bool IsRestoring => _restoring > 0;

    /// <summary>Partition numbers whose stores are attached and ready.</summary>
    public IEnumerable<int> ReadyPartitions => _slots.Where(s => s.Value.Targets is null).Select(s => s.Key);

    /// <summary>Every store of every ready partition.</summary>
    public IEnumerable<IStateStore> ReadyStores => _slots.Values.Where(s => s.Targets is null).SelectMany(s => s.Stores);

    /// <summary>Ready slots (partition number and stores) for changelog writes.</summary>
    public IEnumerable<KeyValuePair<int, IStateStore[]>> ReadySlots =>
        _slots.Where(s => s.Value.Targets is null).Select(s => new KeyValuePair<int, IStateStore[]>(s.Key, s.Value.Stores));

    /// <summary>Starts restoring newly assigned partitions and pauses their inputs until done.</summary>
    public void OnAssigned(IReadOnlyList<TopicPartition> partitions, IKappaConsumer consumer)
    {
        var pause = new List<TopicPartition>();
        foreach (TopicPartition tp in partitions)
        {
            if (!_slots.TryGetValue(tp.Partition, out Slot? slot))
            {
                slot = StartSlot(tp.Partition);
                _slots[tp.Partition] = slot;
            }

            slot.Inputs.Add(tp);
            if (slot.Targets is not null)
            {
                pause.Add(tp);
            }
        }

        if (pause.Count > 0)
        {
            consumer.Pause(pause);
        }
    }

    /// <summary>
    /// Drops revoked partitions' stores once none of their inputs is assigned. Clean stores are snapshotted and kept
    /// warm; stores with uncommitted changes are discarded (their state is rebuilt from the changelog when needed).
    /// </summary>
    public void OnRevoked(IReadOnlyList<TopicPartition> partitions)
    {
        foreach (TopicPartition tp in partitions)
        {
            if (!_slots.TryGetValue(tp.Partition, out Slot? slot) || !slot.Inputs.Remove(tp) || slot.Inputs.Count > 0)
            {
                continue;
            }

            _slots.Remove(tp.Partition);
            _set.Detach(tp.Partition);
            if (slot.Targets is not null)
            {
                // Revoked mid-restore: keep nothing (a partial restore is not a committed state of any offset).
                FinishRestoreAccounting(slot);
                _reassign = true;
                continue;
            }

            if (slot.Stores.Any(s => s.DirtyCount > 0))
            {
                // Uncommitted changes: this state belongs to no committed offset, drop it (rolled back).
                continue;
            }

            Park(tp.Partition, slot.Stores);
        }
    }

    /// <summary>
    /// Drops every partition as if revoked (clean stores are snapshotted and kept warm, stores with uncommitted changes
    /// discarded). Called after the consumer closed, so no partition outlives the consumer it was assigned to even when
    /// the transport left without a revocation callback (a Kafka consumer whose assignment was lost, say).
    /// </summary>
    public void RevokeAll()
    {
        foreach (Slot slot in _slots.Values.ToArray())
        {
            OnRevoked(slot.Inputs.ToArray());
        }
    }

    /// <summary>
    /// The rollback after an aborted transaction: drops at once every partition whose stores have uncommitted changes
    /// (detached, so nothing can use that state again; a later assignment restores it from the changelog). Clean
    /// partitions stay, and so do warm stores (only clean stores are parked, and parked stores are not attached). The
    /// caller then closes and rebuilds its consumer.
    /// </summary>
    public void DiscardDirty()
    {
        foreach (var (partition, slot) in _slots.ToArray())
        {
            if (slot.Targets is null && slot.Stores.Any(s => s.DirtyCount > 0))
            {
                _slots.Remove(partition);
                _set.Detach(partition);
            }
        }
    }

    /// <summary>
    /// Restores at most <see cref="ProcessorOptions.RestoreChunkRecords"/> changelog records, then returns so the runner
    /// can poll its consumer (keeping its group membership alive). Resumes partitions whose restore completed.
    /// </summary>
    public void RestoreChunk(IKappaConsumer consumer) => Restore(consumer, _options.RestoreChunkRecords, untilPartition: -1);

    /// <summary>Finishes restoring <paramref name="partition"/> now (a record of it arrived although it was paused).</summary>
    public void EnsureRestored(int partition, IKappaConsumer consumer)
    {
        while (_slots.TryGetValue(partition, out Slot? slot) && slot.Targets is not null)
        {
            Restore(consumer, int.MaxValue, partition);
        }
    }

    /// <summary>True when the partition has ready stores.</summary>
    public bool IsReady(int partition) => _slots.TryGetValue(partition, out Slot? slot) && slot.Targets is null;

    public void Dispose() => ReleaseRestoreConsumer();

    private Slot StartSlot(int partition)
    {
        IReadOnlyList<StateStoreDescriptor> descriptors = _descriptor.Stores;
        _warm.Remove(partition, out IStateStore[]? warm);
        var slot = new Slot(warm ?? new IStateStore[descriptors.Count], Stopwatch.GetTimestamp());
        var targets = new RestoreTarget[descriptors.Count];
        bool any = false;
        for (int i = 0; i < descriptors.Count; i++)
        {
            StateStoreDescriptor d = descriptors[i];
            WatermarkOffsets marks = _transport.GetWatermarks(new TopicPartition(d.ChangelogTopic, partition));
            string source;
            IStateStore store;
            if (warm is not null)
            {
                store = warm[i];
                source = "kept in memory";
            }
            else
            {
                store = d.CreateStore();
                slot.Stores[i] = store;
                source = "changelog";
                string? path = SnapshotPath(d, partition);
                if (path is not null)
                {
                    if (store.TryLoadSnapshot(path, out string? failure))
                    {
                        source = "snapshot " + path;
                    }
                    else if (File.Exists(path))
                    {
                        ProcessorLog.SnapshotIgnored(_logger, _descriptor.Id, d.Name, partition, failure ?? "unreadable");
                        store.Clear();
                    }
                }
            }

            long start = store.ChangelogOffset;
            if (start > marks.High)
            {
                // The changelog is shorter than the state claims (recreated topic): the local state cannot be trusted.
                ProcessorLog.SnapshotIgnored(_logger, _descriptor.Id, d.Name, partition, $"it reflects changelog offset {start}, beyond the changelog end {marks.High}");
                store.Clear();
                start = -1;
            }

            start = Math.Max(start, marks.Low);
            targets[i] = new RestoreTarget(i, start, marks.High) { Position = start };
            if (start < marks.High)
            {
                any = true;
                ProcessorLog.RestoreStarting(_logger, _descriptor.Id, d.Name, partition, d.ChangelogTopic, start, marks.High, source);
            }
            else
            {
                targets[i].Done = true;
                store.ChangelogOffset = marks.High;
            }
        }

        if (!any)
        {
            _set.Attach(partition, slot.Stores);
            return slot;
        }

        slot.Targets = targets;
        _restoring++;
        _reassign = true;
        long remaining = targets.Where(t => !t.Done).Sum(t => t.End - t.Start);
        slot.Total = remaining;
        KappaMetrics.RestoreRemaining.Add(remaining, _tag);
        return slot;
    }

    private void Restore(IKappaConsumer consumer, int maxRecords, int untilPartition)
    {
        if (_restoring == 0)
        {
            return;
        }

        if (_reassign || _restoreConsumer is null)
        {
            AssignRestoreConsumer();
        }

        IKappaConsumer restore = _restoreConsumer!;
        int applied = 0;
        bool caughtUp = _restoreAssignment.Count == 0;
        bool idle = false;
        bool completed = false;
        while (applied < maxRecords && !caughtUp)
        {
            if (!restore.TryConsume(TimeSpan.FromMilliseconds(applied == 0 ? 50 : 10), out ConsumedRecord record))
            {
                idle = true;
                break;
            }

            _idleSince = 0;

            if (!_storeByChangelog.TryGetValue(record.Topic, out int storeIndex)
                || !_slots.TryGetValue(record.Partition, out Slot? slot)
                || slot.Targets is null)
            {
                continue;
            }

            RestoreTarget target = slot.Targets[storeIndex];
            if (target.Done || record.Offset < target.Position)
            {
                continue;
            }

            if (!record.KeyIsNull)
            {
                try
                {
                    slot.Stores[storeIndex].Apply(record.Key, record.Value, record.ValueIsNull);
                }
                catch (StateFormatException error)
                {
                    throw new InvalidOperationException(
                        $"Processor {_descriptor.Id}: changelog record {record.Topic}-{record.Partition}@{record.Offset} of store '{_descriptor.Stores[storeIndex].Name}' does not decode as {_descriptor.Stores[storeIndex].StateType.Name}: {error.Message}",
                        error);
                }
            }

            applied++;
            long advanced = record.Offset + 1 - target.Position;
            target.Position = record.Offset + 1;
            slot.Done += advanced;
            slot.Applied++;
            KappaMetrics.RestoreRemaining.Add(-advanced, _tag);
            if (target.Position >= target.End)
            {
                target.Done = true;
                completed = true;
            }

            if (untilPartition >= 0 && completed && (slot.Targets?.All(t => t.Done) ?? true) && record.Partition == untilPartition)
            {
                break;
            }
        }

        if (applied > 0)
        {
            KappaMetrics.RestoredRecords.Add(applied, _tag);
        }

        if (idle)
        {
            // Nothing more was delivered: a partition is done when the consumer's position reached its end offset (the
            // records before it are transaction markers or aborted).
            long now = Stopwatch.GetTimestamp();
            if (_idleSince == 0)
            {
                _idleSince = now;
            }

            bool quietLongEnough = Stopwatch.GetElapsedTime(_idleSince, now) >= IdleCompletion;
            foreach (TopicPartitionOffset assigned in _restoreAssignment)
            {
                if (!_slots.TryGetValue(assigned.Partition, out Slot? slot) || slot.Targets is null)
                {
                    continue;
                }

                RestoreTarget target = slot.Targets[_storeByChangelog[assigned.Topic]];
                if (target.Done)
                {
                    continue;
                }

                // A transport that reports positions is done exactly when the position reaches the end offset, however long
                // that takes (a quiet spell on a loaded machine must never end a restore early: the state would be
                // silently incomplete). Only a transport that cannot tell positions (-1) falls back to a quiet while.
                long position = restore.Position(new TopicPartition(assigned.Topic, assigned.Partition));
                if (position >= target.End || (position < 0 && quietLongEnough))
                {
                    long advanced = target.End - target.Position;
                    slot.Done += advanced;
                    KappaMetrics.RestoreRemaining.Add(-advanced, _tag);
                    target.Position = target.End;
                    target.Done = true;
                    completed = true;
                }
            }

            if (completed)
            {
                _idleSince = 0;
            }
        }

        ReportProgress();
        CompleteRestored(consumer);
        if (_restoring == 0)
        {
            ReleaseRestoreConsumer();
        }
    }

    private void CompleteRestored(IKappaConsumer consumer)
    {
        List<TopicPartition>? resume = null;
        foreach (var (partition, slot) in _slots)
        {
            if (slot.Targets is null || !slot.Targets.All(t => t.Done))
            {
                continue;
            }

            for (int i = 0; i < slot.Stores.Length; i++)
            {
                slot.Stores[i].ChangelogOffset = slot.Targets[i].End;
            }

            FinishRestoreAccounting(slot);
            _set.Attach(partition, slot.Stores);
            double ms = Stopwatch.GetElapsedTime(slot.Started).TotalMilliseconds;
            KappaMetrics.RestoreDuration.Record(ms, _tag);
            ProcessorLog.RestoreDone(_logger, _descriptor.Id, partition, slot.Applied, slot.Stores.Sum(s => s.Count), ms);
            (resume ??= new List<TopicPartition>()).AddRange(slot.Inputs);
        }

        if (resume is not null)
        {
            consumer.Resume(resume);
        }
    }

    private void FinishRestoreAccounting(Slot slot)
    {
        if (slot.Targets is null)
        {
            return;
        }

        long left = slot.Total - slot.Done;
        if (left != 0)
        {
            KappaMetrics.RestoreRemaining.Add(-left, _tag);
        }

        slot.Targets = null;
        _restoring--;
    }

    private void ReportProgress()
    {
        if (!_logger.IsEnabled(LogLevel.Information) || _restoring == 0)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        if (_lastProgress != 0 && Stopwatch.GetElapsedTime(_lastProgress, now) < ProgressInterval)
        {
            return;
        }

        _lastProgress = now;
        long done = 0;
        long total = 0;
        double seconds = 0;
        var partitions = new List<int>();
        foreach (var (partition, slot) in _slots)
        {
            if (slot.Targets is null)
            {
                continue;
            }

            done += slot.Done;
            total += slot.Total;
            seconds = Math.Max(seconds, Stopwatch.GetElapsedTime(slot.Started, now).TotalSeconds);
            partitions.Add(partition);
        }

        double rate = seconds > 0 ? done / seconds : 0;
        double eta = rate > 0 ? (total - done) / rate : double.PositiveInfinity;
        ProcessorLog.RestoreProgress(_logger, _descriptor.Id, done, total, rate, eta, string.Join(", ", partitions));
    }

    private void AssignRestoreConsumer()
    {
        _reassign = false;
        var needed = new List<(RestoreTarget Target, TopicPartitionOffset Offset)>();
        foreach (var (partition, slot) in _slots)
        {
            if (slot.Targets is null)
            {
                continue;
            }

            foreach (RestoreTarget target in slot.Targets)
            {
                if (!target.Done)
                {
                    needed.Add((target, new TopicPartitionOffset(_descriptor.Stores[target.Store].ChangelogTopic, partition, target.Position)));
                }
            }
        }

        if (_restoreConsumer is not null && needed.All(n => _assignedTargets.Contains(n.Target)))
        {
            // Still reading everything needed (finished partitions' records are skipped): no new assignment.
            return;
        }

        ReleaseRestoreConsumer();
        _restoreConsumer = _transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = _descriptor.ConsumerGroup + ".restore",
            ClientId = _options.ClientId,
            ReadCommitted = true,
            TransportProperties = _options.ConsumerProperties,
        });
        foreach (var (target, offset) in needed)
        {
            _assignedTargets.Add(target);
            _restoreAssignment.Add(offset);
        }

        _restoreConsumer.Assign(_restoreAssignment);
    }

    private void ReleaseRestoreConsumer()
    {
        _restoreConsumer?.Dispose();
        _restoreConsumer = null;
        _restoreAssignment.Clear();
        _assignedTargets.Clear();
    }

    private void Park(int partition, IStateStore[] stores)
    {
        var ends = new long[stores.Length];
        for (int i = 0; i < stores.Length; i++)
        {
            TopicPartition changelog = new(_descriptor.Stores[i].ChangelogTopic, partition);
            try
            {
                ends[i] = _transport.GetWatermarks(changelog).High;
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // Without the changelog's end the state cannot be tied to an offset: drop it (the next owner restores
                // it from the changelog). Parking often runs on the way out of another failure; it must not replace it.
                _logger.LogWarning(error, "Processor {Processor}: reading the end of {Changelog} failed while releasing partition {Partition}; its warm state is dropped and will be restored from the changelog", _descriptor.Id, changelog, partition);
                return;
            }
        }

        for (int i = 0; i < stores.Length; i++)
        {
            StateStoreDescriptor d = _descriptor.Stores[i];
            stores[i].ChangelogOffset = ends[i];
            string? path = SnapshotPath(d, partition);
            if (path is not null)
            {
                try
                {
                    stores[i].WriteSnapshot(path);
                }
                catch (IOException error)
                {
                    _logger.LogWarning(error, "Processor {Processor}: writing the snapshot {Path} failed; the next restore replays more of the changelog", _descriptor.Id, path);
                }
            }
        }

        _warm[partition] = stores;
    }

    private string? SnapshotPath(StateStoreDescriptor store, int partition) =>
        _options.StateDirectory is { } dir
            ? Path.Combine(dir, _descriptor.ConsumerGroup, $"{store.Name}-{partition}.snapshot")
            : null;

    private sealed class Slot(IStateStore[] stores, long started)
    {
        public IStateStore[] Stores { get; } = stores;

        public HashSet<TopicPartition> Inputs { get; } = new();

        public long Started { get; } = started;

        /// <summary>Per store while restoring; null once the stores are ready.</summary>
        public RestoreTarget[]? Targets { get; set; }

        public long Total { get; set; }

        public long Done { get; set; }

        public long Applied { get; set; }
    }

    private sealed class RestoreTarget(int store, long start, long end)
    {
        public int Store { get; } = store;

        public long Start { get; } = start;

        public long End { get; } = end;

        public long Position { get; set; }

        public bool Done { get; set; }
    }
}
