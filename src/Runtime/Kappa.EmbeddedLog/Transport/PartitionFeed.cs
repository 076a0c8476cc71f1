using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Kappa.Log.Format;

namespace Kappa.Log.Transport;

/// <summary>
/// One assigned partition's records as an <see cref="EmbeddedLogConsumer"/> delivers them. With a
/// <see cref="ReadAheadWorker"/>, the partition's <see cref="PartitionReader"/> runs on the worker's thread, which
/// reads, verifies and parses batches into <see cref="RecordChunk"/>s ahead of the consumer (as librdkafka's fetcher
/// threads do for Kafka); the consumer's thread only hands out records from chunks. Without a worker the consumer's
/// thread reads the partition directly. Either way the consumer sees the same records, positions and errors.
/// </summary>
/// <remarks>
/// Thread use: <see cref="TryRead"/>, <see cref="Position"/> and <see cref="Dispose"/> are called on the consumer's
/// thread; <see cref="Fill"/> only on the worker's. The reader belongs to whichever thread holds it: the worker while
/// it fills (<c>_filling</c>), and is disposed by the last of the two to let go.
/// </remarks>
internal sealed class PartitionFeed : IDisposable
{
    /// <summary>Chunks a partition may have filled and waiting for the consumer (besides the one being read).</summary>
    internal const int MaxQueuedChunks = 2;

    private readonly PartitionReader _reader;
    private readonly ReadAheadWorker? _worker;
    private readonly object _lock = new();
    private readonly Queue<RecordChunk> _full = new();
    private readonly Stack<RecordChunk> _free = new();

    // Consumer side.
    private RecordChunk? _current;
    private int _index;
    private long _position;

    // Shared, under _lock.
    private ExceptionDispatchInfo? _error;
    private long _endSeenAtVersion = long.MinValue;
    private long _publishedPosition;
    private bool _filling;
    private bool _disposed;

    internal PartitionFeed(PartitionReader reader, ReadAheadWorker? worker)
    {
        _reader = reader;
        _worker = worker;
        _position = reader.Position;
        _publishedPosition = _position;
    }

    /// <summary>
    /// The offset of the next record this feed delivers: past the records delivered so far and past what the reader
    /// skipped after them (transaction markers, aborted batches), like <see cref="PartitionReader.Position"/>.
    /// </summary>
    public long Position
    {
        get
        {
            if (_worker is null)
            {
                return _reader.Position;
            }

            Settle();
            return _position;
        }
    }

    /// <summary>The next record, or false when none is ready. The record's spans stay valid until the next call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out BatchRecord record)
    {
        if (_current is { } chunk && _index < chunk.Count)
        {
            int i = _index++;
            record = chunk.Record(i);
            _position = record.Offset + 1;
            return true;
        }

        return TryReadNext(out record);
    }

    private bool TryReadNext(out BatchRecord record)
    {
        if (_worker is null)
        {
            return _reader.TryRead(out record);
        }

        if (_current is { } finished)
        {
            Release(finished);
        }

        if (!TryTakeNext())
        {
            record = default;
            return false;
        }

        // The chunk taken holds at least one record.
        return TryRead(out record);
    }

    /// <summary>
    /// True while the worker has not yet read this partition up to the log as it was at <paramref name="logVersion"/>
    /// (the consumer then waits for it instead of reporting the partition as caught up).
    /// </summary>
    public bool IsBehind(long logVersion)
    {
        if (_worker is null)
        {
            return false;
        }

        lock (_lock)
        {
            return !_disposed && _error is null && (_full.Count > 0 || _endSeenAtVersion < logVersion);
        }
    }

    /// <summary>Stops the feed; the worker lets go of it and the reader is disposed by whichever thread holds it last.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _full.Clear();
            _free.Clear();
            if (_filling)
            {
                return;
            }
        }

        _current = null;
        _reader.Dispose();
    }

    /// <summary>
    /// Worker thread: reads one chunk ahead when the consumer has room for it and the log may have something new
    /// (<paramref name="logVersion"/> differs from the version at which the reader last reached the end).
    /// True when it published something (the worker then tries again at once).
    /// </summary>
    internal bool Fill(long logVersion, Func<bool> transportDisposed)
    {
        RecordChunk chunk;
        lock (_lock)
        {
            if (_disposed || _error is not null || _endSeenAtVersion == logVersion || _full.Count >= MaxQueuedChunks)
            {
                return false;
            }

            chunk = _free.Count > 0 ? _free.Pop() : new RecordChunk();
            _filling = true;
        }

        bool atEnd = false;
        ExceptionDispatchInfo? error = null;
        chunk.Clear();
        try
        {
            while (!chunk.IsFull)
            {
                if (!_reader.TryRead(out BatchRecord record))
                {
                    atEnd = true;
                    break;
                }

                chunk.Add(in record);
            }
        }
        catch (Exception e) when (!transportDisposed())
        {
            // Delivered to the consumer after the records before it, on its own thread.
            error = ExceptionDispatchInfo.Capture(e);
        }
        catch (Exception)
        {
            // The transport is closing under the worker: nothing more to read, nothing to report.
            atEnd = true;
        }

        chunk.EndPosition = _reader.Position;

        bool published;
        lock (_lock)
        {
            _filling = false;
            if (_disposed)
            {
                _reader.Dispose();
                return false;
            }

            published = chunk.Count > 0 || chunk.EndPosition != _publishedPosition;
            if (published)
            {
                _publishedPosition = chunk.EndPosition;
                _full.Enqueue(chunk);
            }
            else
            {
                _free.Push(chunk);
            }

            _error = error;
            if (atEnd)
            {
                _endSeenAtVersion = logVersion;
            }
        }

        return published || error is not null;
    }

    /// <summary>Applies finished chunks and record-less position updates, so <see cref="Position"/> is current.</summary>
    private void Settle()
    {
        if (_current is { } chunk && _index >= chunk.Count)
        {
            Release(chunk);
        }

        if (_current is not null)
        {
            return;
        }

        lock (_lock)
        {
            SkipRecordlessChunks();
        }
    }

    private void Release(RecordChunk chunk)
    {
        _current = null;
        Advance(chunk.EndPosition);
        lock (_lock)
        {
            if (!_disposed)
            {
                _free.Push(chunk);
            }
        }

        _worker!.Wake();
    }

    private bool TryTakeNext()
    {
        lock (_lock)
        {
            SkipRecordlessChunks();
            if (_full.Count > 0)
            {
                _current = _full.Dequeue();
                _index = 0;
                return true;
            }

            if (_error is { } error)
            {
                error.Throw();
            }
        }

        return false;
    }

    /// <summary>Under <c>_lock</c>: applies the position updates queued ahead of the next chunk with records.</summary>
    private void SkipRecordlessChunks()
    {
        while (_full.Count > 0 && _full.Peek().Count == 0)
        {
            RecordChunk empty = _full.Dequeue();
            Advance(empty.EndPosition);
            _free.Push(empty);
        }
    }

    private void Advance(long position)
    {
        if (position > _position)
        {
            _position = position;
        }
    }
}
