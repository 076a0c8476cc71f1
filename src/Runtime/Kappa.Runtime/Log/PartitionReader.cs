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

    internal PartitionReader(PartitionLog log, long offset, bool verifyChecksums)
    {
        _log = log;
        _verify = verifyChecksums;
        Seek(offset);
    }

    public PartitionLog Log => _log;

    /// <summary>The offset of the next record this reader returns (or waits for).</summary>
    public long Position => _nextOffset;

    /// <summary>True when the last <see cref="TryRead"/> returned false because the reader had reached the log end.</summary>
    public bool AtEnd { get; private set; }

    /// <summary>Repositions the reader; offsets below the log start offset move to the log start offset.</summary>
    public void Seek(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _inBatch = false;
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

                throw new LogCorruptException($"Corrupt batch in {segment.LogPath} at position {_filePosition} ({why}); it is not served. Reading {_log} at offset {_nextOffset}.");
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

                    throw new LogCorruptException($"Corrupt batch in {segment.LogPath} at position {_filePosition}: base offset {header.BaseOffset} does not follow the previous batch (expected {_expectedBase}); it is not served.");
                }

                if (_positionFromIndex && header.BaseOffset > _nextOffset)
                {
                    // The floor index entry must lead to a batch at or before the target; a stale index does not.
                    RetryFromSegmentStart();
                    continue;
                }

                _expectedBase = header.NextOffset;
                _positionFromIndex = false;
                if (header.NextOffset <= _nextOffset || header.IsControl)
                {
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

                if (Array.IndexOf(_log.Segments, segment) < 0 && _log.Segments[^1].BaseOffset <= _nextOffset)
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

            throw new LogCorruptException($"Corrupt or truncated batch in {segment.LogPath} at position {_filePosition} ({status}) below the published size {limit}; it is not served. Reading {_log} at offset {_nextOffset}.");
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
