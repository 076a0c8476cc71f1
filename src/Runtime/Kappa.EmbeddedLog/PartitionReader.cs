using Kappa.Log.Format;
using Kappa.Log.Storage;
using Microsoft.Win32.SafeHandles;

namespace Kappa.Log;

/// <summary>
/// Sequential reader of one partition from any offset: finds the segment, binary-searches its offset index, then scans.
/// Reads whole batches into one reusable buffer and hands out records as spans over it (no allocation per record).
/// Never returns part of a batch that is still being written, and never serves a batch that fails its CRC
/// (throws <see cref="LogCorruptException"/> instead). Not thread-safe: one reader per consuming thread.
/// </summary>
public sealed class PartitionReader : IDisposable
{
    private readonly PartitionLog _log;
    private readonly BatchFileReader _reader = new();
    private readonly bool _verify;
    private readonly bool _readCommitted;

    // read_committed: producer id -> (offset of the marker ending its current transaction, committed?).
    private Dictionary<long, (long MarkerOffset, bool Committed)>? _resolved;
    private byte[]? _markerBuffer;
    private LogSegment? _segment;
    private SafeFileHandle? _handle;
    private readonly Dictionary<LogSegment, SafeFileHandle> _handles = new(ReferenceEqualityComparer.Instance);
    private long _filePosition;
    private bool _positionFromIndex;
    private long _nextOffset;
    private long _expectedBase = -1;

    // The batch being walked.
    private bool _inBatch;
    private long _batchFilePosition;
    private int _batchLength;
    private int _recordPosition;
    private int _recordsLeft;
    private long _batchBaseOffset;
    private long _batchBaseTimestamp;
    private long _batchNextOffset;

    internal PartitionReader(PartitionLog log, long offset, bool verifyChecksums, bool readCommitted)
    {
        _log = log;
        _verify = verifyChecksums;
        _readCommitted = readCommitted;
        Seek(offset);
    }

    public PartitionLog Log => _log;

    /// <summary>The offset of the next record this reader returns (or waits for).</summary>
    public long Position => _nextOffset;

    /// <summary>True when the last <see cref="TryRead"/> returned false because the reader had reached the log end.</summary>
    public bool AtEnd { get; private set; }

    /// <summary>True when this reader hides records of aborted and open transactions (Kafka's read_committed).</summary>
    public bool ReadCommitted => _readCommitted;

    /// <summary>Repositions the reader; offsets below the log start offset move to the log start offset.</summary>
    public void Seek(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _inBatch = false;
        _resolved?.Clear();
        _nextOffset = offset;
        LogSegment? segment = _segment;
        if (segment is not null && offset >= segment.BaseOffset && offset >= _log.LogStartOffset && _log.IsCurrentSegmentFor(segment, offset))
        {
            // Same segment: keep the handle and the buffer, just look the position up again.
            _filePosition = segment.FindPosition(offset);
            _positionFromIndex = _filePosition > 0;
            _expectedBase = _filePosition == 0 ? segment.BaseOffset : -1;
            return;
        }

        CloseSegment();
    }

    /// <summary>
    /// The next record, or false when the reader is at the end of the published log. The record's spans stay valid
    /// until the next call on this reader.
    /// </summary>
    public bool TryRead(out BatchRecord record)
    {
        while (true)
        {
            if (_inBatch)
            {
                if (_recordsLeft > 0)
                {
                    ReadOnlySpan<byte> batch = _reader.Peek(_batchFilePosition, _batchLength);
                    var records = new BatchRecordReader(batch, _recordPosition, _recordsLeft, _batchBaseOffset, _batchBaseTimestamp);
                    bool ok = records.TryRead(out record);
                    _recordPosition = records.Position;
                    _recordsLeft = records.Remaining;
                    if (ok && record.Offset >= _nextOffset)
                    {
                        _nextOffset = record.Offset + 1;
                        AtEnd = false;
                        return true;
                    }

                    continue;
                }

                _inBatch = false;
                _filePosition = _batchFilePosition + _batchLength;
                if (_batchNextOffset > _nextOffset)
                {
                    _nextOffset = _batchNextOffset;
                }

                continue;
            }

            if (_segment is null)
            {
                OpenSegmentForNextOffset();
            }

            LogSegment segment = _segment!;
            long limit = segment.Size;
            BatchReadStatus status = _reader.TryRead(_handle!, _filePosition, limit, out ReadOnlySpan<byte> data, out RecordBatchHeader header);
            if (status == BatchReadStatus.Ok && _verify && RecordBatch.Validate(data) is { } why)
            {
                if (RetryFromSegmentStart())
                {
                    continue;
                }

                throw Corrupt($"Corrupt batch in {segment.LogPath} at position {_filePosition} ({why}); it is not served. Reading {_log} at offset {_nextOffset}.");
            }

            if (status == BatchReadStatus.Ok)
            {
                // Offsets are not covered by the CRC: batches in a segment must follow each other (gaps only after compaction).
                if (_expectedBase >= 0 && (header.BaseOffset < _expectedBase || (!_log.Config.Compacted && header.BaseOffset != _expectedBase)))
                {
                    if (RetryFromSegmentStart())
                    {
                        continue;
                    }

                    throw Corrupt($"Corrupt batch in {segment.LogPath} at position {_filePosition}: base offset {header.BaseOffset} does not follow the previous batch (expected {_expectedBase}); it is not served.");
                }

                if (_positionFromIndex && header.BaseOffset > _nextOffset)
                {
                    // The floor index entry must lead to a batch at or before the target; a stale index does not.
                    RetryFromSegmentStart();
                    continue;
                }

                if (_readCommitted && header.IsTransactional && !header.IsControl && header.NextOffset > _nextOffset)
                {
                    bool? committed = ResolveTransaction(segment, _filePosition + data.Length, header);
                    if (committed is null)
                    {
                        // An open transaction: nothing at or after its first batch is served yet (the last stable offset).
                        AtEnd = true;
                        record = default;
                        return false;
                    }

                    if (committed == false)
                    {
                        // Aborted: skipped, offsets kept.
                        _expectedBase = header.NextOffset;
                        _positionFromIndex = false;
                        _filePosition += data.Length;
                        _nextOffset = header.NextOffset;
                        continue;
                    }
                }

                _expectedBase = header.NextOffset;
                _positionFromIndex = false;
                if (header.NextOffset <= _nextOffset || header.IsControl)
                {
                    if (header.IsControl)
                    {
                        _resolved?.Remove(header.ProducerId);
                    }

                    // Already delivered, or a transaction marker (control batch): consumers never see those records.
                    _filePosition += data.Length;
                    if (header.NextOffset > _nextOffset)
                    {
                        _nextOffset = header.NextOffset;
                    }

                    continue;
                }

                _inBatch = true;
                _batchFilePosition = _filePosition;
                _batchLength = data.Length;
                _recordPosition = RecordBatch.HeaderSize;
                _recordsLeft = header.RecordCount;
                _batchBaseOffset = header.BaseOffset;
                _batchBaseTimestamp = header.BaseTimestamp;
                _batchNextOffset = header.NextOffset;
                continue;
            }

            if (status == BatchReadStatus.End)
            {
                if (segment.CorruptPosition is { } corruptAt && _filePosition >= corruptAt)
                {
                    throw Corrupt($"Segment {segment.LogPath} is corrupt at position {corruptAt} ({segment.CorruptReason}); the records of {_log} from offset {_nextOffset} up to {NextSegmentBase(segment)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the log end"} are not served. Restore the segment file from a copy, or move past it (docs/embedded-log.md, 'Corrupt data').");
                }

                (LogSegment Segment, SafeFileHandle Handle)? next = _log.OpenNextSegment(segment, _handles);
                if (next is { } n)
                {
                    if (_filePosition < segment.Size)
                    {
                        // The segment grew before it was sealed; read the rest first.
                        continue;
                    }

                    CloseSegment();
                    _segment = n.Segment;
                    _handle = n.Handle;
                    _filePosition = 0;
                    _expectedBase = n.Segment.BaseOffset;
                    if (_nextOffset < n.Segment.BaseOffset)
                    {
                        _nextOffset = n.Segment.BaseOffset;
                    }

                    continue;
                }

                LogSegment last = _log.Segments[^1];
                if (!ReferenceEquals(last, segment) && last.BaseOffset <= _nextOffset)
                {
                    // The last segment was replaced (a rolled-back transaction truncated it): continue in its replacement.
                    CloseSegment();
                    continue;
                }

                AtEnd = true;
                record = default;
                return false;
            }

            if (RetryFromSegmentStart())
            {
                continue;
            }

            throw Corrupt($"Corrupt or truncated batch in {segment.LogPath} at position {_filePosition} ({status}) below the published size {limit}; it is not served. Reading {_log} at offset {_nextOffset}.");
        }
    }

    public void Dispose()
    {
        CloseSegment();
        foreach (SafeFileHandle h in _handles.Values)
        {
            h.Dispose();
        }

        _handles.Clear();
    }

    /// <summary>
    /// read_committed: whether the transaction of <paramref name="batch"/> (its producer's next control batch after it)
    /// committed (true), aborted (false), or is still open (null). Scans batch headers after the batch, in this segment
    /// and the following ones, up to the published end.
    /// </summary>
    private bool? ResolveTransaction(LogSegment segment, long positionAfter, in RecordBatchHeader batch)
    {
        _resolved ??= new Dictionary<long, (long, bool)>();
        if (_resolved.TryGetValue(batch.ProducerId, out (long MarkerOffset, bool Committed) known) && known.MarkerOffset > batch.BaseOffset)
        {
            return known.Committed;
        }

        Span<byte> head = stackalloc byte[RecordBatch.HeaderSize];
        LogSegment current = segment;
        SafeFileHandle handle = _handle!;
        SafeFileHandle? owned = null;
        long position = positionAfter;
        try
        {
            while (true)
            {
                long limit = current.Size;
                while (position + RecordBatch.HeaderSize <= limit && RandomAccess.Read(handle, head, position) == RecordBatch.HeaderSize)
                {
                    int total = RecordBatch.TotalSize(head);
                    if (total <= 0 || position + total > limit)
                    {
                        throw Corrupt($"Corrupt batch header in {current.LogPath} at position {position} while looking for the end of a transaction of producer {batch.ProducerId}.");
                    }

                    RecordBatchHeader h = RecordBatch.ReadHeader(head);
                    if (h.IsControl && h.ProducerId == batch.ProducerId && h.BaseOffset > batch.BaseOffset)
                    {
                        bool committed = ReadMarkerType(handle, position, total, current) == 1;
                        _resolved[batch.ProducerId] = (h.BaseOffset, committed);
                        return committed;
                    }

                    position += total;
                }

                LogSegment? next = null;
                foreach (LogSegment s in _log.Segments)
                {
                    if (s.BaseOffset > current.BaseOffset)
                    {
                        next = s;
                        break;
                    }
                }

                if (next is null)
                {
                    return null;
                }

                owned?.Dispose();
                owned = _log.OpenSegmentHandle(next);
                handle = owned;
                current = next;
                position = 0;
            }
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>The type of a control record (0 = ABORT, 1 = COMMIT) from the key of the control batch's first record.</summary>
    private short ReadMarkerType(SafeFileHandle handle, long position, int total, LogSegment segment)
    {
        if (_markerBuffer is null || _markerBuffer.Length < total)
        {
            _markerBuffer = new byte[Math.Max(total, 256)];
        }

        Span<byte> batch = _markerBuffer.AsSpan(0, total);
        if (RandomAccess.Read(handle, batch, position) != total || RecordBatch.Validate(batch) is not null)
        {
            throw Corrupt($"Corrupt control batch in {segment.LogPath} at position {position}; it is not served.");
        }

        var records = new BatchRecordReader(batch);
        if (!records.TryRead(out BatchRecord marker) || marker.KeyIsNull || marker.Key.Length < 4)
        {
            throw Corrupt($"Control batch in {segment.LogPath} at position {position} has no control record key (version, type).");
        }

        return System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(marker.Key[2..]);
    }

    /// <summary>A corruption found while reading at <see cref="Position"/>, naming where.</summary>
    private LogCorruptException Corrupt(string message) => new(message, _log.Topic, _log.Partition, _nextOffset);

    private long? NextSegmentBase(LogSegment segment)
    {
        foreach (LogSegment s in _log.Segments)
        {
            if (s.BaseOffset > segment.BaseOffset)
            {
                return s.BaseOffset;
            }
        }

        return null;
    }

    /// <summary>An index entry that leads to a bad position (a stale index) falls back to a scan from the segment start.</summary>
    private bool RetryFromSegmentStart()
    {
        if (!_positionFromIndex || _filePosition == 0)
        {
            return false;
        }

        _positionFromIndex = false;
        _filePosition = 0;
        _expectedBase = _segment!.BaseOffset;
        return true;
    }

    private void OpenSegmentForNextOffset()
    {
        long start = _log.LogStartOffset;
        if (_nextOffset < start)
        {
            _nextOffset = start;
        }

        (LogSegment segment, SafeFileHandle handle) = _log.OpenSegmentFor(_nextOffset, _handles);
        _segment = segment;
        _handle = handle;
        _filePosition = segment.FindPosition(_nextOffset);
        _positionFromIndex = _filePosition > 0;
        _expectedBase = _filePosition == 0 ? segment.BaseOffset : -1;
        _reader.Invalidate();
    }

    /// <summary>Leaves the current segment; its handle stays cached (see <see cref="PartitionLog.OpenSegmentFor"/>).</summary>
    private void CloseSegment()
    {
        _handle = null;
        _segment = null;
        _inBatch = false;
        _reader.Invalidate();
    }
}
