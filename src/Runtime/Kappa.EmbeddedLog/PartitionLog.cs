using System.Globalization;
using System.Text.RegularExpressions;
using Kappa.Log.Format;
using Kappa.Log.Storage;
using Kappa.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Kappa.Log;

/// <summary>
/// One partition of a topic: a directory <c>{topic}-{partition}</c> of segments. One writer at a time (appends are
/// serialized), any number of concurrent readers (<see cref="OpenReader(long)"/>), which only ever see whole, published batches.
/// </summary>
public sealed partial class PartitionLog : IDisposable
{
    internal const string RecoveryPointFile = "recovery-point";

    private readonly EmbeddedLogOptions _options;
    private readonly LogSignal _signal;
    private readonly ILogger _logger;
    private readonly object _writeLock = new();
    private readonly object _segmentsLock = new();
    private readonly object _maintenanceLock = new();
    private LogSegment[] _segments;
    private long _lastFsyncMs;
    private long _compactedUpTo = -1;
    private long _lastCompactionMs;
    private bool _dirty;
    private bool _disposed;

    private PartitionLog(string topic, int partition, string directory, TopicConfig config, EmbeddedLogOptions options, LogSignal signal, LogSegment[] segments)
    {
        Topic = topic;
        Partition = partition;
        Directory = directory;
        Config = config;
        _options = options;
        _signal = signal;
        _logger = options.Logger;
        _segments = segments;
        _lastFsyncMs = NowMs();
    }

    public string Topic { get; }

    public int Partition { get; }

    public string Directory { get; }

    public TopicConfig Config { get; }

    /// <summary>The first offset still in the log.</summary>
    public long LogStartOffset => Volatile.Read(ref _segments)[0].BaseOffset;

    /// <summary>The offset the next appended record gets.</summary>
    public long LogEndOffset => Volatile.Read(ref _segments)[^1].NextOffset;

    public int SegmentCount => Volatile.Read(ref _segments).Length;

    /// <summary>Total bytes of the partition's segment files.</summary>
    public long SizeInBytes
    {
        get
        {
            long total = 0;
            foreach (LogSegment s in Volatile.Read(ref _segments))
            {
                total += s.Size;
            }

            return total;
        }
    }

    internal LogSegment[] Segments => Volatile.Read(ref _segments);

    internal EmbeddedLogOptions Options => _options;

    [GeneratedRegex(@"^(\d{20})\.(log|index|timeindex)$", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentFileName();

    internal static PartitionLog Open(string topic, int partition, string directory, TopicConfig config, EmbeddedLogOptions options, LogSignal signal)
    {
        ILogger logger = options.Logger;
        System.IO.Directory.CreateDirectory(directory);
        var logs = new SortedSet<long>();
        var indexFiles = new List<(long Base, string Path)>();
        foreach (string path in System.IO.Directory.EnumerateFileSystemEntries(directory))
        {
            string name = Path.GetFileName(path);
            Match m = SegmentFileName().Match(name);
            if (m.Success)
            {
                long b = long.Parse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                if (m.Groups[2].Value == "log")
                {
                    logs.Add(b);
                }
                else
                {
                    indexFiles.Add((b, path));
                }
            }
            else if (name.EndsWith(".cleaned", StringComparison.Ordinal) || name == RecoveryPointFile + ".tmp")
            {
                logger.LogWarning("Embedded log: deleting {File}, left over from an interrupted compaction or checkpoint.", path);
                File.Delete(path);
            }
            else if (name != RecoveryPointFile)
            {
                logger.LogWarning("Embedded log: ignoring unknown file {File} in partition directory {Directory}.", name, directory);
            }
        }

        foreach ((long b, string path) in indexFiles)
        {
            if (!logs.Contains(b))
            {
                logger.LogWarning("Embedded log: deleting orphan index {File} (no matching .log segment).", path);
                File.Delete(path);
            }
        }

        long recoveryPoint = ReadRecoveryPoint(directory, logger);
        long nowMs = options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var scratch = new BatchFileReader();
        var segments = new List<LogSegment>();
        long[] bases = logs.ToArray();
        for (int i = 0; i < bases.Length; i++)
        {
            // Segments wholly below the recovery point were flushed before it was written: only later ones are re-checked.
            // Only the active (last) segment may lose a torn or corrupt tail; a sealed segment is never cut, and the
            // segments after it stay (LogSegment.Load reports the corruption and readers stop at it).
            bool isLast = i == bases.Length - 1;
            bool recover = isLast || bases[i + 1] > recoveryPoint;
            segments.Add(LogSegment.Load(directory, bases[i], options.IndexIntervalBytes, recover, sealedSegment: !isLast, !config.Compacted, scratch, logger, out _));
        }

        if (segments.Count == 0)
        {
            segments.Add(LogSegment.CreateNew(directory, 0, options.IndexIntervalBytes, nowMs));
        }
        else
        {
            segments[^1].OpenForAppend();
            segments[^1].SetRollingBase(nowMs);
        }

        return new PartitionLog(topic, partition, directory, config, options, signal, segments.ToArray());
    }

    /// <summary>
    /// Appends a finished batch (from <see cref="RecordBatchBuilder.Finish"/>, or any uncompressed v2 batch) and returns its base offset.
    /// The base offset field of <paramref name="batch"/> is overwritten. Applies the fsync policy.
    /// </summary>
    public long Append(Span<byte> batch, bool validate = false)
    {
        if (validate && RecordBatch.Validate(batch) is { } why)
        {
            throw new ArgumentException($"Cannot append to {Topic}-{Partition}: {why}.", nameof(batch));
        }

        RecordBatchHeader header = RecordBatch.ReadHeader(batch);
        if (header.TotalSize != batch.Length || header.Magic != RecordBatch.CurrentMagic || header.RecordCount <= 0)
        {
            throw new ArgumentException($"Cannot append to {Topic}-{Partition}: not a complete non-empty record batch v2 ({batch.Length} bytes, length field {header.TotalSize}, magic {header.Magic}, {header.RecordCount} records).", nameof(batch));
        }

        long baseOffset;
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long nowMs = NowMs();
            LogSegment active = _segments[^1];
            baseOffset = active.NextOffset;
            bool full = active.Size > 0 && active.Size + batch.Length > _options.SegmentBytes;
            bool old = active.Size > 0 && nowMs - active.RollingBaseMs >= (long)_options.SegmentMaxAge.TotalMilliseconds;
            bool offsetOverflow = baseOffset + header.LastOffsetDelta - active.BaseOffset > int.MaxValue;
            if (full || old || offsetOverflow)
            {
                active = RollLocked(nowMs);
            }

            RecordBatch.SetBaseOffset(batch, baseOffset);
            header = header with { BaseOffset = baseOffset };
            active.Append(batch, header);
            _dirty = true;
            switch (_options.FsyncPolicy)
            {
                case FsyncPolicy.EveryBatch:
                    FsyncLocked(nowMs);
                    break;
                case FsyncPolicy.Interval when nowMs - _lastFsyncMs >= (long)_options.FsyncInterval.TotalMilliseconds:
                    FsyncLocked(nowMs);
                    break;
            }
        }

        _signal.Pulse();
        return baseOffset;
    }

    /// <summary>
    /// Transactions: takes the partition's write lock (held until <see cref="EndTransactionalAppend"/>, on this thread) and
    /// rolls the active segment first when <paramref name="bytes"/> would not fit, so a transaction's batches never span a
    /// roll. Returns the offset the transaction's first batch will get.
    /// </summary>
    internal long BeginTransactionalAppend(long bytes)
    {
        Monitor.Enter(_writeLock);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long nowMs = NowMs();
            LogSegment active = _segments[^1];
            if (active.HasPending)
            {
                throw new InvalidOperationException($"{this} already has an unpublished transaction in progress.");
            }

            bool full = active.Size > 0 && active.Size + bytes > _options.SegmentBytes;
            bool old = active.Size > 0 && nowMs - active.RollingBaseMs >= (long)_options.SegmentMaxAge.TotalMilliseconds;
            bool offsetOverflow = active.NextOffset - active.BaseOffset > int.MaxValue - (bytes / 8) - 1;
            if (full || old || offsetOverflow)
            {
                active = RollLocked(nowMs);
            }

            return active.NextOffset;
        }
        catch
        {
            Monitor.Exit(_writeLock);
            throw;
        }
    }

    /// <summary>
    /// Appends consecutive batches of the transaction in progress (one buffer, one write) without publishing them; returns
    /// the offset after them. Caller holds the write lock (<see cref="BeginTransactionalAppend"/>).
    /// </summary>
    internal long AppendUnpublished(Span<byte> batches)
    {
        LogSegment active = _segments[^1];
        active.AppendUnpublished(batches);
        return active.WriteNextOffset;
    }

    /// <summary>Fsyncs the written (published or not) data of the active segment. Caller holds the write lock.</summary>
    internal void FsyncTransactional() => FsyncLocked(NowMs());

    /// <summary>
    /// Ends a transactional append and releases the write lock: publishes the pending batches, or removes them (truncating
    /// the partition back to <paramref name="startOffset"/>).
    /// </summary>
    internal void EndTransactionalAppend(bool publish, long startOffset)
    {
        try
        {
            if (publish)
            {
                _segments[^1].Publish();
                _dirty = true;
            }
            else if (_segments[^1].HasPending || _segments[^1].NextOffset > startOffset)
            {
                TruncateLocked(startOffset);
            }
        }
        finally
        {
            Monitor.Exit(_writeLock);
        }

        if (publish)
        {
            _signal.Pulse();
        }
    }

    /// <summary>
    /// Removes every batch at or after <paramref name="offset"/> (transaction recovery: rolling back the batches of a
    /// transaction that has no commit record). The partition is fsynced afterwards.
    /// </summary>
    internal void TruncateTo(long offset)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            TruncateLocked(offset);
        }
    }

    private void TruncateLocked(long offset)
    {
        LogSegment[] segments = _segments;
        if (offset >= segments[^1].WriteNextOffset)
        {
            return;
        }

        int keep = 0;
        for (int i = 0; i < segments.Length; i++)
        {
            if (segments[i].BaseOffset <= offset)
            {
                keep = i;
            }
        }

        LogSegment target = segments[keep];
        long position = target.PositionOfFirstBatchAtOrAfter(offset);
        _logger.LogWarning("Embedded log: truncating {Partition} to offset {Offset} (rolling back an uncommitted transaction).", this, offset);
        for (int j = segments.Length - 1; j > keep; j--)
        {
            segments[j].Delete();
        }

        target.CloseAbruptly();
        using (SafeFileHandle handle = File.OpenHandle(target.LogPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            RandomAccess.SetLength(handle, position);
            RandomAccess.FlushToDisk(handle);
        }

        LogSegment replacement = LogSegment.Load(Directory, target.BaseOffset, _options.IndexIntervalBytes, recover: true, sealedSegment: false, contiguous: !Config.Compacted, new BatchFileReader(), _logger, out _);
        replacement.OpenForAppend();
        replacement.SetRollingBase(NowMs());
        lock (_segmentsLock)
        {
            var next = new LogSegment[keep + 1];
            Array.Copy(segments, next, keep);
            next[keep] = replacement;
            Volatile.Write(ref _segments, next);
        }

        if (ReadRecoveryPoint(Directory, _logger) > replacement.BaseOffset)
        {
            WriteRecoveryPoint(replacement.BaseOffset);
        }

        _signal.Pulse();
    }

    /// <summary>Makes appended data durable: fsync unless the policy is <see cref="FsyncPolicy.Never"/> (or <paramref name="force"/>).</summary>
    public void Flush(bool force = false)
    {
        lock (_writeLock)
        {
            if (_disposed)
            {
                return;
            }

            if (force || _options.FsyncPolicy != FsyncPolicy.Never)
            {
                FsyncLocked(NowMs());
            }
            else
            {
                _segments[^1].Flush(fsync: false);
            }
        }
    }

    /// <summary>Runs the interval fsync if it is due (called by maintenance so an idle log still gets its data to disk).</summary>
    internal void FlushIfDue()
    {
        lock (_writeLock)
        {
            long now = NowMs();
            if (!_disposed && _dirty && _options.FsyncPolicy == FsyncPolicy.Interval && now - _lastFsyncMs >= (long)_options.FsyncInterval.TotalMilliseconds)
            {
                FsyncLocked(now);
            }
        }
    }

    /// <summary>Rolls a new active segment now (normally done by size and age).</summary>
    public void Roll()
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_segments[^1].Size > 0)
            {
                RollLocked(NowMs());
            }
        }
    }

    /// <summary>A reader positioned at <paramref name="offset"/> (clamped to the log start offset); read_uncommitted.</summary>
    public PartitionReader OpenReader(long offset) => new(this, offset, _options.VerifyChecksumsOnRead, readCommitted: false);

    /// <summary>
    /// A reader positioned at <paramref name="offset"/>; with <paramref name="readCommitted"/> it serves transactional
    /// batches only once their COMMIT marker is in the log, skips aborted ones, and stops before an open transaction
    /// (Kafka's last stable offset).
    /// </summary>
    public PartitionReader OpenReader(long offset, bool readCommitted) => new(this, offset, _options.VerifyChecksumsOnRead, readCommitted);

    /// <summary>The first offset whose record timestamp is at or after <paramref name="timestampMs"/>, or null when there is none.</summary>
    public long? OffsetForTimestamp(long timestampMs)
    {
        var scratch = new BatchFileReader(256 * 1024);
        foreach (LogSegment segment in Segments)
        {
            if (segment.MaxTimestamp < timestampMs)
            {
                continue;
            }

            using SafeFileHandle handle = OpenSegmentHandle(segment);
            long position = segment.FindTimestampSearchStart(handle, timestampMs, out bool indexTrusted);
            if (!indexTrusted)
            {
                _logger.LogWarning("Embedded log: the index of {Segment} does not match its log for a time lookup; scanning the segment from its start.", segment.LogPath);
            }

            long limit = segment.Size;
            while (true)
            {
                BatchReadStatus status = scratch.TryRead(handle, position, limit, out ReadOnlySpan<byte> batch, out RecordBatchHeader header);
                if (status == BatchReadStatus.End)
                {
                    break;
                }

                if (status != BatchReadStatus.Ok)
                {
                    throw new LogCorruptException($"Corrupt or truncated batch in {segment.LogPath} at position {position} ({status}) below the published size {limit}.", Topic, Partition, offset: null);
                }

                position += batch.Length;
                if (header.MaxTimestamp < timestampMs)
                {
                    continue;
                }

                if (RecordBatch.Validate(batch) is { } why)
                {
                    throw new LogCorruptException($"Corrupt batch in {segment.LogPath} at position {position - batch.Length}: {why}.", Topic, Partition, header.BaseOffset);
                }

                var records = new BatchRecordReader(batch);
                while (records.TryRead(out BatchRecord record))
                {
                    if (record.TimestampMs >= timestampMs)
                    {
                        return record.Offset;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Deletes whole segments beyond the topic's time and size retention; returns how many were deleted.</summary>
    public int ApplyRetention()
    {
        if (Config.Retention is null && Config.RetentionBytes is null)
        {
            return 0;
        }

        lock (_maintenanceLock)
        {
            int deleted = 0;
            lock (_writeLock)
            {
                if (_disposed)
                {
                    return 0;
                }

                long nowMs = NowMs();
                if (Config.Retention is { } retention)
                {
                    long horizon = nowMs - (long)retention.TotalMilliseconds;
                    LogSegment active = _segments[^1];
                    if (active.Size > 0 && active.MaxTimestamp < horizon && _segments.All(s => s.MaxTimestamp < horizon))
                    {
                        RollLocked(nowMs);
                    }

                    while (_segments.Length > 1 && _segments[0].MaxTimestamp < horizon)
                    {
                        DeleteFirstLocked("older than retention");
                        deleted++;
                    }
                }

                if (Config.RetentionBytes is { } limit)
                {
                    long size = SizeInBytes;
                    while (_segments.Length > 1 && size - _segments[0].Size >= limit)
                    {
                        size -= _segments[0].Size;
                        DeleteFirstLocked("beyond retention.bytes");
                        deleted++;
                    }
                }
            }

            return deleted;
        }
    }

    /// <summary>
    /// Compacts the sealed segments of a compacted topic: keeps the latest record per key (looking at the whole log, the active
    /// segment included), drops tombstones older than <see cref="EmbeddedLogOptions.DeleteRetention"/>, keeps offsets and order.
    /// Returns the number of records removed.
    /// </summary>
    public long Compact()
    {
        if (!Config.Compacted)
        {
            return 0;
        }

        lock (_maintenanceLock)
        {
            LogSegment[] snapshot = Segments;
            if (snapshot.Length < 2)
            {
                return 0;
            }

            long endPosition = snapshot[^1].Size;
            var latest = new Dictionary<byte[], long>(ByteArrayComparer.Instance);
            var scratch = new BatchFileReader();
            for (int i = 0; i < snapshot.Length; i++)
            {
                LogSegment s = snapshot[i];
                using SafeFileHandle h = OpenSegmentHandle(s);
                ForEachBatch(s, h, i == snapshot.Length - 1 ? endPosition : s.Size, scratch, batch =>
                {
                    if (RecordBatch.ReadHeader(batch).IsControl)
                    {
                        return;
                    }

                    var reader = new BatchRecordReader(batch);
                    Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> lookup = latest.GetAlternateLookup<ReadOnlySpan<byte>>();
                    while (reader.TryRead(out BatchRecord r))
                    {
                        if (!r.KeyIsNull)
                        {
                            lookup[r.Key] = r.Offset;
                        }
                    }
                });
            }

            long tombstoneHorizon = NowMs() - (long)_options.DeleteRetention.TotalMilliseconds;
            long removed = 0;
            using var builder = new RecordBatchBuilder();
            for (int i = 0; i < snapshot.Length - 1; i++)
            {
                removed += CompactSegment(snapshot[i], latest, tombstoneHorizon, scratch, builder);
            }

            return removed;
        }
    }

    /// <summary>
    /// Maintenance: compacts only when a segment was sealed since the last run, or when tombstones may have expired
    /// (a delete-retention period passed), so an idle compacted topic is not rewritten on every tick.
    /// </summary>
    internal long CompactIfDirty()
    {
        if (!Config.Compacted)
        {
            return 0;
        }

        long activeBase = Segments[^1].BaseOffset;
        long now = NowMs();
        if (activeBase == _compactedUpTo && now - _lastCompactionMs < (long)_options.DeleteRetention.TotalMilliseconds)
        {
            return 0;
        }

        long removed = Compact();
        _compactedUpTo = activeBase;
        _lastCompactionMs = now;
        return removed;
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            LogSegment active = _segments[^1];
            active.Seal(fsync: true);
            WriteRecoveryPoint(active.NextOffset);
        }
    }

    /// <summary>Stops without a clean shutdown: no seal, no fsync, no recovery point (tests simulate a crash with it).</summary>
    internal void Abandon()
    {
        lock (_writeLock)
        {
            _disposed = true;
            _segments[^1].CloseAbruptly();
        }
    }

    internal SafeFileHandle OpenSegmentHandle(LogSegment segment)
    {
        lock (_segmentsLock)
        {
            return segment.OpenRead();
        }
    }

    /// <summary>
    /// Finds the segment holding <paramref name="offset"/> and its read handle, atomically with respect to compaction swaps.
    /// Handles are cached per reader in <paramref name="handles"/> (so index lookups do not reopen files); handles of
    /// segments no longer in the log are closed here.
    /// </summary>
    internal (LogSegment Segment, SafeFileHandle Handle) OpenSegmentFor(long offset, Dictionary<LogSegment, SafeFileHandle> handles)
    {
        lock (_segmentsLock)
        {
            LogSegment[] segments = _segments;
            int lo = 0;
            int hi = segments.Length - 1;
            int found = 0;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                if (segments[mid].BaseOffset <= offset)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return (segments[found], HandleLocked(segments[found], handles, keep: null));
        }
    }

    /// <summary>The segment after <paramref name="current"/>, with a handle, or null when it is the last.</summary>
    internal (LogSegment Segment, SafeFileHandle Handle)? OpenNextSegment(LogSegment current, Dictionary<LogSegment, SafeFileHandle> handles)
    {
        lock (_segmentsLock)
        {
            foreach (LogSegment s in _segments)
            {
                if (s.BaseOffset > current.BaseOffset)
                {
                    return (s, HandleLocked(s, handles, keep: current));
                }
            }

            return null;
        }
    }

    /// <summary>True when <paramref name="segment"/> is still in the log and holds <paramref name="offset"/> (no later segment starts at or before it).</summary>
    internal bool IsCurrentSegmentFor(LogSegment segment, long offset)
    {
        LogSegment[] segments = Volatile.Read(ref _segments);
        int index = Array.IndexOf(segments, segment);
        return index >= 0 && (index == segments.Length - 1 || segments[index + 1].BaseOffset > offset);
    }

    private SafeFileHandle HandleLocked(LogSegment segment, Dictionary<LogSegment, SafeFileHandle> handles, LogSegment? keep)
    {
        if (handles.TryGetValue(segment, out SafeFileHandle? cached))
        {
            return cached;
        }

        // Drop handles of deleted or replaced segments (so their disk space is freed), and keep the cache bounded.
        if (handles.Count > 0)
        {
            foreach (LogSegment old in handles.Keys.ToArray())
            {
                if (!ReferenceEquals(old, keep) && (handles.Count >= 64 || Array.IndexOf(_segments, old) < 0))
                {
                    handles[old].Dispose();
                    handles.Remove(old);
                }
            }
        }

        SafeFileHandle handle = segment.OpenRead();
        handles[segment] = handle;
        return handle;
    }

    private long CompactSegment(LogSegment segment, Dictionary<byte[], long> latest, long tombstoneHorizon, BatchFileReader scratch, RecordBatchBuilder builder)
    {
        if (segment.CorruptPosition is { } corruptAt)
        {
            // Rewriting it would drop the unreadable bytes for good; they stay until an operator restores or removes them.
            _logger.LogError("Embedded log: not compacting {Segment}, which is corrupt at position {Position} ({Reason}).", segment.LogPath, corruptAt, segment.CorruptReason);
            return 0;
        }

        // First pass: is there anything to remove?
        long removable = 0;
        using (SafeFileHandle h = OpenSegmentHandle(segment))
        {
            ForEachBatch(segment, h, segment.Size, scratch, batch =>
            {
                if (RecordBatch.ReadHeader(batch).IsControl)
                {
                    return;
                }

                var reader = new BatchRecordReader(batch);
                while (reader.TryRead(out BatchRecord r))
                {
                    if (!Keep(r, latest, tombstoneHorizon))
                    {
                        removable++;
                    }
                }
            });
        }

        if (removable == 0)
        {
            return 0;
        }

        string cleanedPath = segment.LogPath + ".cleaned";
        using (SafeFileHandle h = OpenSegmentHandle(segment))
        using (var output = new FileStream(cleanedPath, FileMode.Create, FileAccess.Write, FileShare.None, 1024 * 1024))
        {
            ForEachBatch(segment, h, segment.Size, scratch, batch =>
            {
                RecordBatchHeader header = RecordBatch.ReadHeader(batch);
                if (header.IsControl)
                {
                    // Transaction markers are kept as they are (issue 4 will decide when they can go).
                    output.Write(batch);
                    return;
                }

                builder.Reset();
                builder.ProducerId = header.ProducerId;
                builder.ProducerEpoch = header.ProducerEpoch;
                builder.BaseSequence = header.BaseSequence;
                builder.Attributes = header.Attributes;
                builder.PartitionLeaderEpoch = header.PartitionLeaderEpoch;
                var reader = new BatchRecordReader(batch);
                int kept = 0;
                while (reader.TryRead(out BatchRecord r))
                {
                    if (Keep(r, latest, tombstoneHorizon))
                    {
                        builder.Append((int)(r.Offset - header.BaseOffset), r.TimestampMs, r.Key, r.KeyIsNull, r.Value, r.ValueIsNull, r.EncodedHeaders);
                        kept++;
                    }
                }

                if (kept == header.RecordCount)
                {
                    output.Write(batch);
                }
                else if (kept > 0)
                {
                    Span<byte> rebuilt = builder.Finish(header.LastOffsetDelta);
                    RecordBatch.SetBaseOffset(rebuilt, header.BaseOffset);
                    output.Write(rebuilt);
                }
            });
            output.Flush(flushToDisk: true);
        }

        lock (_segmentsLock)
        {
            int index = Array.FindIndex(_segments, s => ReferenceEquals(s, segment));
            if (index < 0 || index == _segments.Length - 1)
            {
                File.Delete(cleanedPath);
                return 0;
            }

            File.Move(cleanedPath, segment.LogPath, overwrite: true);
            LogSegment replacement = LogSegment.Load(Directory, segment.BaseOffset, _options.IndexIntervalBytes, recover: true, sealedSegment: true, contiguous: false, scratch, _logger, out _);
            var next = (LogSegment[])_segments.Clone();
            next[index] = replacement;
            Volatile.Write(ref _segments, next);
        }

        _logger.LogDebug("Embedded log: compacted segment {Segment}, removed {Count} records.", segment.LogPath, removable);
        return removable;
    }

    private static bool Keep(in BatchRecord r, Dictionary<byte[], long> latest, long tombstoneHorizon)
    {
        if (r.KeyIsNull)
        {
            return true;
        }

        if (!latest.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(r.Key, out long last) || last != r.Offset)
        {
            return false;
        }

        return !r.ValueIsNull || r.TimestampMs >= tombstoneHorizon;
    }

    private delegate void BatchAction(ReadOnlySpan<byte> batch);

    private static void ForEachBatch(LogSegment segment, SafeFileHandle handle, long limit, BatchFileReader scratch, BatchAction action)
    {
        scratch.Invalidate();
        long position = 0;
        while (true)
        {
            BatchReadStatus status = scratch.TryRead(handle, position, limit, out ReadOnlySpan<byte> batch, out _);
            if (status == BatchReadStatus.End)
            {
                return;
            }

            if (status != BatchReadStatus.Ok || RecordBatch.Validate(batch) is not null)
            {
                throw new LogCorruptException($"Corrupt batch in {segment.LogPath} at position {position} ({(status == BatchReadStatus.Ok ? RecordBatch.Validate(batch) : status.ToString())}); compaction stopped.");
            }

            action(batch);
            position += batch.Length;
        }
    }

    /// <summary>
    /// Seals the active segment and starts the next. Whatever the fsync policy, the sealed segment is flushed to disk and
    /// the recovery point moves past it (as Kafka flushes a segment when it rolls): after a crash only the active segment
    /// is re-checked, and data that was sealed is never validated, and cut, again.
    /// </summary>
    private LogSegment RollLocked(long nowMs)
    {
        LogSegment old = _segments[^1];
        old.Seal(fsync: true);
        LogSegment next = LogSegment.CreateNew(Directory, old.NextOffset, _options.IndexIntervalBytes, nowMs);
        lock (_segmentsLock)
        {
            var segments = new LogSegment[_segments.Length + 1];
            _segments.CopyTo(segments, 0);
            segments[^1] = next;
            Volatile.Write(ref _segments, segments);
        }

        WriteRecoveryPoint(next.BaseOffset);
        return next;
    }

    private void DeleteFirstLocked(string why)
    {
        LogSegment first;
        lock (_segmentsLock)
        {
            first = _segments[0];
            Volatile.Write(ref _segments, _segments[1..]);
        }

        _logger.LogInformation("Embedded log: deleting segment {Segment} ({Why}).", first.LogPath, why);
        first.Delete();
    }

    private void FsyncLocked(long nowMs)
    {
        _segments[^1].Flush(fsync: true);
        _lastFsyncMs = nowMs;
        _dirty = false;
    }

    private void WriteRecoveryPoint(long offset)
    {
        string path = Path.Combine(Directory, RecoveryPointFile);
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, offset.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(tmp, path, overwrite: true);
    }

    private static long ReadRecoveryPoint(string directory, ILogger logger)
    {
        string path = Path.Combine(directory, RecoveryPointFile);
        if (!File.Exists(path))
        {
            return 0;
        }

        string text = File.ReadAllText(path).Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long point))
        {
            return point;
        }

        logger.LogWarning("Embedded log: recovery point file {File} is unreadable ('{Text}'); validating every segment.", path, text);
        return 0;
    }

    private long NowMs() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    public override string ToString() => $"{Topic}-{Partition}";

    internal TopicPartition TopicPartition => new(Topic, Partition);
}
