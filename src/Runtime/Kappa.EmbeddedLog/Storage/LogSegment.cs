using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Kappa.Log.Format;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Kappa.Log.Storage;

/// <summary>
/// One segment of a partition: <c>{baseOffset:D20}.log</c> (record batches v2), <c>.index</c> (8-byte entries:
/// big-endian int32 relative offset, int32 file position) and <c>.timeindex</c> (12-byte entries: int64 timestamp,
/// int32 relative offset), both sparse as in Kafka. The indexes are also kept in memory; readers use them lock-free.
/// </summary>
internal sealed class LogSegment
{
    public const string LogExtension = ".log";
    public const string IndexExtension = ".index";
    public const string TimeIndexExtension = ".timeindex";
    public const int IndexEntrySize = 8;
    public const int TimeIndexEntrySize = 12;

    private readonly int _indexIntervalBytes;
    private long[] _index = new long[64];
    private int _indexCount;
    private TimeEntry[] _timeIndex = new TimeEntry[64];
    private int _timeCount;
    private long _size;
    private long _nextOffset;
    private long _pendingBytes;
    private long _pendingNextOffset;
    private long _maxTimestamp = -1;
    private long _offsetOfMaxTimestamp = -1;
    private int _bytesSinceIndexEntry;
    private SafeFileHandle? _writeHandle;
    private FileStream? _indexStream;
    private FileStream? _timeIndexStream;

    private LogSegment(string directory, long baseOffset, int indexIntervalBytes)
    {
        Directory = directory;
        BaseOffset = baseOffset;
        _nextOffset = baseOffset;
        _indexIntervalBytes = indexIntervalBytes;
    }

    public string Directory { get; }

    public long BaseOffset { get; }

    /// <summary>Bytes of complete batches readers may see.</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>The offset after the last batch of this segment.</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    /// <summary>The offset the next appended batch gets (beyond <see cref="NextOffset"/> while unpublished batches are pending; writer only).</summary>
    public long WriteNextOffset => _pendingBytes > 0 ? _pendingNextOffset : _nextOffset;

    /// <summary>Bytes written, published or not (writer only).</summary>
    public long WriteSize => _size + _pendingBytes;

    /// <summary>True when batches were appended without being published yet (a transaction in progress).</summary>
    public bool HasPending => _pendingBytes > 0;

    /// <summary>Largest record timestamp in the segment, -1 when empty.</summary>
    public long MaxTimestamp => Volatile.Read(ref _maxTimestamp);

    /// <summary>When the active segment was created or opened (the clock); drives roll by age.</summary>
    public long RollingBaseMs { get; private set; }

    public bool IsWritable => _writeHandle is not null;

    public string LogPath => PathOf(LogExtension);

    public string IndexPath => PathOf(IndexExtension);

    public string TimeIndexPath => PathOf(TimeIndexExtension);

    public int IndexEntryCount => Volatile.Read(ref _indexCount);

    /// <summary>
    /// Where a sealed segment found corrupt at open stops being readable (null: the whole segment is valid). The bytes
    /// from there on are kept on disk, never served, and never compacted away.
    /// </summary>
    public long? CorruptPosition { get; private set; }

    /// <summary>Why the segment is corrupt at <see cref="CorruptPosition"/>.</summary>
    public string? CorruptReason { get; private set; }

    public static string FileName(long baseOffset, string extension) => baseOffset.ToString("D20", CultureInfo.InvariantCulture) + extension;

    public string PathOf(string extension) => Path.Combine(Directory, FileName(BaseOffset, extension));

    public static LogSegment CreateNew(string directory, long baseOffset, int indexIntervalBytes, long nowMs)
    {
        var segment = new LogSegment(directory, baseOffset, indexIntervalBytes) { RollingBaseMs = nowMs };
        File.WriteAllBytes(segment.IndexPath, Array.Empty<byte>());
        File.WriteAllBytes(segment.TimeIndexPath, Array.Empty<byte>());
        segment._writeHandle = File.OpenHandle(segment.LogPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        segment.OpenIndexStreams();
        return segment;
    }

    /// <summary>
    /// Loads an existing segment. With <paramref name="recover"/> every batch is validated by CRC; the active segment
    /// (<paramref name="sealedSegment"/> false) is truncated at the first invalid batch (a torn or corrupt tail, as Kafka
    /// recovers), while a sealed segment is never cut: its records up to the invalid batch are served, the rest of the file
    /// is kept as it is, and readers that reach it get a <see cref="LogCorruptException"/> (<see cref="CorruptPosition"/>).
    /// Without <paramref name="recover"/> the index files are used when they pass the sanity checks and rebuilt from the log
    /// when they do not.
    /// </summary>
    public static LogSegment Load(string directory, long baseOffset, int indexIntervalBytes, bool recover, bool sealedSegment, bool contiguous, BatchFileReader scratch, ILogger logger, out bool hitCorruption)
    {
        var segment = new LogSegment(directory, baseOffset, indexIntervalBytes);
        hitCorruption = false;
        using (SafeFileHandle handle = File.OpenHandle(segment.LogPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            long length = RandomAccess.GetLength(handle);
            scratch.Invalidate();
            if (recover)
            {
                long valid = segment.Rebuild(handle, length, validate: true, contiguous, scratch, out string? reason);
                if (valid < length)
                {
                    hitCorruption = true;
                    reason ??= "incomplete batch";
                    if (sealedSegment)
                    {
                        segment.CorruptPosition = valid;
                        segment.CorruptReason = reason;
                        logger.LogError(
                            "Embedded log recovery: sealed segment {Segment} is corrupt at position {Position} ({Reason}); {Bytes} bytes from there are kept on disk but not served. Readers stop there with an error naming offset {Offset}. Restore the segment file from a copy, or move the consumers past it (docs/embedded-log.md, 'Corrupt data').",
                            segment.LogPath,
                            valid,
                            reason,
                            length - valid,
                            segment._nextOffset);
                    }
                    else
                    {
                        logger.LogWarning("Embedded log recovery: {Segment} has {Bytes} invalid bytes from position {Position} ({Reason}); truncating the torn or corrupt tail.", segment.LogPath, length - valid, valid, reason);
                        RandomAccess.SetLength(handle, valid);
                    }

                    scratch.Invalidate();
                }

                segment.WriteIndexFiles();
            }
            else if (!segment.TryLoadIndexes(length, out string? why) || !segment.ScanTail(handle, length) || !segment.TimeIndexAgreesWithLog(handle, out why))
            {
                logger.LogWarning("Embedded log: index of {Segment} is unusable ({Reason}); rebuilding it from the log.", segment.LogPath, why ?? "the log after the last index entry is not a sequence of whole batches");
                segment.ResetIndexes();
                scratch.Invalidate();
                segment.Rebuild(handle, length, validate: false, contiguous, scratch, out _);
                segment.WriteIndexFiles();
            }
        }

        return segment;
    }

    /// <summary>Opens the segment for appending (the active segment).</summary>
    public void OpenForAppend()
    {
        _writeHandle ??= File.OpenHandle(LogPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        if (_indexStream is null)
        {
            OpenIndexStreams();
        }
    }

    /// <summary>Opens a read handle for a reader (each reader has its own; a deleted or replaced file stays readable through it).</summary>
    public SafeFileHandle OpenRead() => File.OpenHandle(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>Appends a finished batch and publishes it; the caller holds the partition's write lock.</summary>
    public void Append(ReadOnlySpan<byte> batch, in RecordBatchHeader header)
    {
        SafeFileHandle handle = _writeHandle ?? throw new InvalidOperationException($"Segment {LogPath} is not open for appending.");
        if (_pendingBytes > 0)
        {
            throw new InvalidOperationException($"Segment {LogPath} has unpublished batches of a transaction; they must be published or discarded first.");
        }

        long position = _size;
        RandomAccess.Write(handle, batch, position);
        Volatile.Write(ref _size, position + batch.Length);
        Track(header, position, batch.Length);
        Volatile.Write(ref _nextOffset, header.NextOffset);
    }

    /// <summary>
    /// Appends consecutive finished batches (one buffer, one write) without publishing them: their base offsets are set
    /// from <see cref="WriteNextOffset"/>, and readers do not see them (nor do <see cref="Size"/>/<see cref="NextOffset"/>
    /// move) until <see cref="Publish"/>. The caller holds the partition's write lock.
    /// </summary>
    public void AppendUnpublished(Span<byte> batches)
    {
        SafeFileHandle handle = _writeHandle ?? throw new InvalidOperationException($"Segment {LogPath} is not open for appending.");
        long start = _size + _pendingBytes;
        long next = WriteNextOffset;
        int pos = 0;
        while (pos < batches.Length)
        {
            int total = batches.Length - pos >= RecordBatch.HeaderSize ? RecordBatch.TotalSize(batches[pos..]) : -1;
            if (total <= 0 || pos + total > batches.Length)
            {
                throw new ArgumentException($"Cannot append to {LogPath}: the buffer is not a sequence of whole record batches (at byte {pos} of {batches.Length}).", nameof(batches));
            }

            Span<byte> batch = batches.Slice(pos, total);
            RecordBatch.SetBaseOffset(batch, next);
            RecordBatchHeader header = RecordBatch.ReadHeader(batch);
            if (header.LastOffset - BaseOffset > int.MaxValue)
            {
                throw new InvalidOperationException($"Cannot append to {LogPath}: offset {header.LastOffset} does not fit the segment's 32-bit relative offsets.");
            }

            Track(header, start + pos, total);
            next = header.NextOffset;
            pos += total;
        }

        RandomAccess.Write(handle, batches, start);
        _pendingBytes += batches.Length;
        _pendingNextOffset = next;
    }

    private void Track(in RecordBatchHeader header, long position, int length)
    {
        bool addIndexEntry = _bytesSinceIndexEntry >= _indexIntervalBytes || position == 0;
        if (header.MaxTimestamp > _maxTimestamp)
        {
            Volatile.Write(ref _maxTimestamp, header.MaxTimestamp);
            _offsetOfMaxTimestamp = header.LastOffset;
        }

        if (addIndexEntry)
        {
            AddIndexEntry((int)(header.LastOffset - BaseOffset), (int)position, persist: true);
            MaybeAddTimeEntry(persist: true);
            _bytesSinceIndexEntry = 0;
        }

        _bytesSinceIndexEntry += length;
    }

    /// <summary>Makes the unpublished batches visible to readers (size first is not needed: readers bound reads by <see cref="Size"/>).</summary>
    public void Publish()
    {
        if (_pendingBytes == 0)
        {
            return;
        }

        long size = _size + _pendingBytes;
        long next = _pendingNextOffset;
        _pendingBytes = 0;
        Volatile.Write(ref _nextOffset, next);
        Volatile.Write(ref _size, size);
    }

    /// <summary>File position of the first batch whose base offset is at or after <paramref name="offset"/> (the written size when none).</summary>
    public long PositionOfFirstBatchAtOrAfter(long offset)
    {
        using SafeFileHandle handle = OpenRead();
        long length = RandomAccess.GetLength(handle);
        long position = 0;
        Span<byte> head = stackalloc byte[RecordBatch.HeaderSize];
        while (position + RecordBatch.HeaderSize <= length && RandomAccess.Read(handle, head, position) == RecordBatch.HeaderSize)
        {
            int total = RecordBatch.TotalSize(head);
            if (total <= 0 || RecordBatch.ReadHeader(head).BaseOffset >= offset)
            {
                break;
            }

            position += total;
        }

        return Math.Min(position, length);
    }

    /// <summary>File position of the batch to start scanning from for <paramref name="offset"/> (floor entry of the offset index).</summary>
    public long FindPosition(long offset)
    {
        int count = Volatile.Read(ref _indexCount);
        long[] index = Volatile.Read(ref _index);
        long target = offset - BaseOffset;
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            long rel = index[mid] >> 32;
            if (rel <= target)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? 0 : (index[found] & 0xFFFFFFFFL);
    }

    /// <summary>
    /// File position to start a timestamp search from: the batch of the floor entry of the time index (every record up to
    /// it is older than <paramref name="timestampMs"/>), found through the offset index. Both index entries are checked
    /// against the batch header they lead to (its last offset and max timestamp); an entry that does not match (a damaged
    /// index whose entries still look ordered) gives 0, a scan from the segment start, and <paramref name="indexTrusted"/> false.
    /// </summary>
    public long FindTimestampSearchStart(SafeFileHandle handle, long timestampMs, out bool indexTrusted)
    {
        indexTrusted = true;
        int count = Volatile.Read(ref _timeCount);
        TimeEntry[] entries = Volatile.Read(ref _timeIndex);
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].Timestamp < timestampMs)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (found < 0)
        {
            return 0;
        }

        TimeEntry entry = entries[found];
        long position = FindBatchEnding(handle, BaseOffset + entry.RelativeOffset, entry.Timestamp);
        indexTrusted = position >= 0;
        return Math.Max(position, 0);
    }

    /// <summary>
    /// The position of the batch whose last offset is <paramref name="lastOffset"/> and whose max timestamp is
    /// <paramref name="maxTimestamp"/> (what a time index entry records), walking batch headers from the offset index's
    /// floor entry; -1 when the headers there do not say so (a damaged index).
    /// </summary>
    private long FindBatchEnding(SafeFileHandle handle, long lastOffset, long maxTimestamp)
    {
        long limit = Size;
        long position = FindPosition(lastOffset);
        Span<byte> head = stackalloc byte[RecordBatch.HeaderSize];
        while (position + RecordBatch.HeaderSize <= limit && RandomAccess.Read(handle, head, position) == RecordBatch.HeaderSize)
        {
            int total = RecordBatch.TotalSize(head);
            if (total < RecordBatch.HeaderSize || position + total > limit || head[RecordBatch.MagicOffset] != RecordBatch.CurrentMagic)
            {
                return -1;
            }

            RecordBatchHeader header = RecordBatch.ReadHeader(head);
            if (header.BaseOffset > lastOffset)
            {
                return -1;
            }

            if (header.LastOffset >= lastOffset)
            {
                return header.LastOffset == lastOffset && header.MaxTimestamp == maxTimestamp ? position : -1;
            }

            position += total;
        }

        return -1;
    }

    /// <summary>
    /// At load: the last time index entry (which gives the segment's max timestamp, used to skip whole segments in time
    /// lookups) must match the batch it names.
    /// </summary>
    private bool TimeIndexAgreesWithLog(SafeFileHandle handle, out string? why)
    {
        why = null;
        if (_timeCount == 0)
        {
            return true;
        }

        TimeEntry last = _timeIndex[_timeCount - 1];
        if (FindBatchEnding(handle, BaseOffset + last.RelativeOffset, last.Timestamp) >= 0)
        {
            return true;
        }

        why = $"the last time index entry ({last.Timestamp} at relative offset {last.RelativeOffset}) does not match the batch it names";
        return false;
    }

    /// <summary>Writes buffered index entries and, when asked, fsyncs the log (and indexes).</summary>
    public void Flush(bool fsync)
    {
        _indexStream?.Flush(fsync);
        _timeIndexStream?.Flush(fsync);
        if (fsync && _writeHandle is not null)
        {
            RandomAccess.FlushToDisk(_writeHandle);
        }
    }

    /// <summary>Makes the segment read-only: final time index entry, flush, fsync, close the write handles.</summary>
    public void Seal(bool fsync)
    {
        if (_writeHandle is null)
        {
            return;
        }

        try
        {
            MaybeAddTimeEntry(persist: true);
            Flush(fsync);
        }
        catch
        {
            // A failed seal (disk full, I/O error) still releases every handle; the first failure is the one reported.
            ReleaseHandles();
            throw;
        }

        if (ReleaseHandles() is { } closeFailure)
        {
            ExceptionDispatchInfo.Throw(closeFailure);
        }
    }

    /// <summary>Closes the handles without sealing or fsyncing (truncation; tests use it to simulate a process crash).</summary>
    public void CloseAbruptly()
    {
        if (ReleaseHandles() is { } closeFailure)
        {
            ExceptionDispatchInfo.Throw(closeFailure);
        }
    }

    /// <summary>Closes every write handle, even when one fails to write its buffer; returns the first failure.</summary>
    private IOException? ReleaseHandles()
    {
        IOException? failure = null;
        foreach (FileStream? stream in new[] { _indexStream, _timeIndexStream })
        {
            try
            {
                stream?.Dispose();
            }
            catch (IOException e)
            {
                failure ??= e;
            }
        }

        _indexStream = null;
        _timeIndexStream = null;
        _writeHandle?.Dispose();
        _writeHandle = null;
        return failure;
    }

    public void Delete()
    {
        Seal(fsync: false);
        File.Delete(LogPath);
        File.Delete(IndexPath);
        File.Delete(TimeIndexPath);
    }

    /// <summary>Rebuilds the in-memory indexes by walking the batches; returns the length of the valid prefix.</summary>
    private long Rebuild(SafeFileHandle handle, long length, bool validate, bool contiguous, BatchFileReader scratch, out string? reason)
    {
        ResetIndexes();
        reason = null;
        long position = 0;
        long expectedOffset = BaseOffset;
        while (true)
        {
            BatchReadStatus status = scratch.TryRead(handle, position, length, out ReadOnlySpan<byte> batch, out RecordBatchHeader header);
            if (status != BatchReadStatus.Ok)
            {
                reason = status switch
                {
                    BatchReadStatus.End => null,
                    BatchReadStatus.Incomplete => "incomplete batch at the end",
                    _ => "impossible batch length",
                };
                break;
            }

            if (validate)
            {
                reason = RecordBatch.Validate(batch);
                if (reason is null && (header.BaseOffset < expectedOffset || (contiguous && header.BaseOffset != expectedOffset) || header.LastOffset - BaseOffset > int.MaxValue))
                {
                    reason = $"batch base offset {header.BaseOffset} is below the expected {expectedOffset} or outside the segment";
                }

                if (reason is not null)
                {
                    break;
                }
            }

            if (_bytesSinceIndexEntry >= _indexIntervalBytes || position == 0)
            {
                AddIndexEntry((int)(header.LastOffset - BaseOffset), (int)position, persist: false);
                MaybeAddTimeEntryFor(header, persist: false);
                _bytesSinceIndexEntry = 0;
            }

            if (header.MaxTimestamp > _maxTimestamp)
            {
                _maxTimestamp = header.MaxTimestamp;
                _offsetOfMaxTimestamp = header.LastOffset;
            }

            _bytesSinceIndexEntry += batch.Length;
            position += batch.Length;
            expectedOffset = header.NextOffset;
            _nextOffset = header.NextOffset;
        }

        _size = position;
        MaybeAddTimeEntry(persist: false);
        return position;
    }

    private void MaybeAddTimeEntryFor(in RecordBatchHeader header, bool persist)
    {
        if (header.MaxTimestamp > _maxTimestamp)
        {
            _maxTimestamp = header.MaxTimestamp;
            _offsetOfMaxTimestamp = header.LastOffset;
        }

        MaybeAddTimeEntry(persist);
    }

    private bool TryLoadIndexes(long logLength, out string? why)
    {
        why = null;
        ResetIndexes();
        if (!File.Exists(IndexPath) || !File.Exists(TimeIndexPath))
        {
            why = "index file missing";
            return false;
        }

        byte[] idx = File.ReadAllBytes(IndexPath);
        byte[] tix = File.ReadAllBytes(TimeIndexPath);
        if (idx.Length % IndexEntrySize != 0 || tix.Length % TimeIndexEntrySize != 0)
        {
            why = "index file size is not a whole number of entries";
            return false;
        }

        long lastRel = -1;
        long lastPos = -1;
        for (int i = 0; i < idx.Length; i += IndexEntrySize)
        {
            int rel = BinaryPrimitives.ReadInt32BigEndian(idx.AsSpan(i));
            int pos = BinaryPrimitives.ReadInt32BigEndian(idx.AsSpan(i + 4));
            if (rel <= lastRel || pos <= lastPos || pos < 0 || pos >= logLength)
            {
                why = $"offset index entry {i / IndexEntrySize} ({rel} -> {pos}) is out of order or outside the {logLength}-byte log";
                return false;
            }

            AddIndexEntry(rel, pos, persist: false);
            lastRel = rel;
            lastPos = pos;
        }

        if (logLength > 0 && _indexCount == 0)
        {
            why = "offset index is empty for a non-empty log";
            return false;
        }

        long lastTs = long.MinValue;
        long lastTimeRel = -1;
        for (int i = 0; i < tix.Length; i += TimeIndexEntrySize)
        {
            long ts = BinaryPrimitives.ReadInt64BigEndian(tix.AsSpan(i));
            int rel = BinaryPrimitives.ReadInt32BigEndian(tix.AsSpan(i + 8));
            if (ts < lastTs || rel < lastTimeRel || rel < 0)
            {
                why = $"time index entry {i / TimeIndexEntrySize} is out of order";
                return false;
            }

            AppendTimeEntry(ts, rel, persist: false);
            lastTs = ts;
            lastTimeRel = rel;
        }

        if (logLength > 0 && _timeCount == 0)
        {
            why = "time index is empty for a non-empty log";
            return false;
        }

        if (_timeCount > 0)
        {
            _maxTimestamp = _timeIndex[_timeCount - 1].Timestamp;
            _offsetOfMaxTimestamp = BaseOffset + _timeIndex[_timeCount - 1].RelativeOffset;
        }

        return true;
    }

    /// <summary>Walks batch headers after the last index entry to find the end offset and size; false when they do not line up.</summary>
    private bool ScanTail(SafeFileHandle handle, long length)
    {
        long position = _indexCount > 0 ? _index[_indexCount - 1] & 0xFFFFFFFFL : 0;
        long next = BaseOffset;
        long bytesSince = 0;
        Span<byte> head = stackalloc byte[RecordBatch.HeaderSize];
        while (position < length)
        {
            if (length - position < RecordBatch.HeaderSize || RandomAccess.Read(handle, head, position) < RecordBatch.HeaderSize)
            {
                return false;
            }

            int total = RecordBatch.TotalSize(head);
            if (total < 0 || position + total > length || head[RecordBatch.MagicOffset] != RecordBatch.CurrentMagic)
            {
                return false;
            }

            RecordBatchHeader header = RecordBatch.ReadHeader(head);
            if (header.MaxTimestamp > _maxTimestamp)
            {
                _maxTimestamp = header.MaxTimestamp;
                _offsetOfMaxTimestamp = header.LastOffset;
            }

            next = header.NextOffset;
            position += total;
            bytesSince += total;
        }

        if (_indexCount > 0 && next - 1 < BaseOffset + (_index[_indexCount - 1] >> 32))
        {
            return false;
        }

        if (_timeCount > 0 && _timeIndex[_timeCount - 1].RelativeOffset > next - 1 - BaseOffset)
        {
            return false;
        }

        _size = length;
        _nextOffset = next;
        _bytesSinceIndexEntry = (int)Math.Min(int.MaxValue, bytesSince);
        return true;
    }

    /// <summary>Sets the rolling base of the active segment to the clock at open: its age counts from creation or from the last open.</summary>
    public void SetRollingBase(long nowMs) => RollingBaseMs = nowMs;

    private void ResetIndexes()
    {
        _indexCount = 0;
        _timeCount = 0;
        _maxTimestamp = -1;
        _offsetOfMaxTimestamp = -1;
        _bytesSinceIndexEntry = 0;
        _nextOffset = BaseOffset;
        _size = 0;
        _pendingBytes = 0;
    }

    private void WriteIndexFiles()
    {
        byte[] idx = new byte[_indexCount * IndexEntrySize];
        for (int i = 0; i < _indexCount; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(idx.AsSpan(i * IndexEntrySize), (int)(_index[i] >> 32));
            BinaryPrimitives.WriteInt32BigEndian(idx.AsSpan((i * IndexEntrySize) + 4), (int)(_index[i] & 0xFFFFFFFFL));
        }

        byte[] tix = new byte[_timeCount * TimeIndexEntrySize];
        for (int i = 0; i < _timeCount; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(tix.AsSpan(i * TimeIndexEntrySize), _timeIndex[i].Timestamp);
            BinaryPrimitives.WriteInt32BigEndian(tix.AsSpan((i * TimeIndexEntrySize) + 8), _timeIndex[i].RelativeOffset);
        }

        File.WriteAllBytes(IndexPath, idx);
        File.WriteAllBytes(TimeIndexPath, tix);
    }

    private void OpenIndexStreams()
    {
        _indexStream = new FileStream(IndexPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096);
        _timeIndexStream = new FileStream(TimeIndexPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096);
    }

    private void AddIndexEntry(int relativeOffset, int position, bool persist)
    {
        long[] index = _index;
        int count = _indexCount;
        if (count == index.Length)
        {
            var bigger = new long[index.Length * 2];
            Array.Copy(index, bigger, count);
            Volatile.Write(ref _index, bigger);
            index = bigger;
        }

        index[count] = ((long)relativeOffset << 32) | (uint)position;
        Volatile.Write(ref _indexCount, count + 1);
        if (persist && _indexStream is not null)
        {
            Span<byte> e = stackalloc byte[IndexEntrySize];
            BinaryPrimitives.WriteInt32BigEndian(e, relativeOffset);
            BinaryPrimitives.WriteInt32BigEndian(e[4..], position);
            _indexStream.Write(e);
        }
    }

    private void MaybeAddTimeEntry(bool persist)
    {
        if (_maxTimestamp < 0 || (_timeCount > 0 && _timeIndex[_timeCount - 1].Timestamp >= _maxTimestamp))
        {
            return;
        }

        AppendTimeEntry(_maxTimestamp, (int)(_offsetOfMaxTimestamp - BaseOffset), persist);
    }

    private void AppendTimeEntry(long timestamp, int relativeOffset, bool persist)
    {
        TimeEntry[] entries = _timeIndex;
        int count = _timeCount;
        if (count == entries.Length)
        {
            var bigger = new TimeEntry[entries.Length * 2];
            Array.Copy(entries, bigger, count);
            Volatile.Write(ref _timeIndex, bigger);
            entries = bigger;
        }

        entries[count] = new TimeEntry(timestamp, relativeOffset);
        Volatile.Write(ref _timeCount, count + 1);
        if (persist && _timeIndexStream is not null)
        {
            Span<byte> e = stackalloc byte[TimeIndexEntrySize];
            BinaryPrimitives.WriteInt64BigEndian(e, timestamp);
            BinaryPrimitives.WriteInt32BigEndian(e[8..], relativeOffset);
            _timeIndexStream.Write(e);
        }
    }

    private readonly record struct TimeEntry(long Timestamp, int RelativeOffset);
}
