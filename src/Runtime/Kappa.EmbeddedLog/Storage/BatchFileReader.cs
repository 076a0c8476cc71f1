using Kappa.Log.Format;
using Microsoft.Win32.SafeHandles;

namespace Kappa.Log.Storage;

/// <summary>Outcome of reading one batch from a segment file.</summary>
internal enum BatchReadStatus
{
    Ok,

    /// <summary>The position is at (or past) the readable limit.</summary>
    End,

    /// <summary>A batch starts before the limit but ends after it (torn tail, or not yet published).</summary>
    Incomplete,

    /// <summary>The length field is impossible.</summary>
    BadLength,
}

/// <summary>
/// Reads whole batches from a segment file into one reusable buffer (positional reads, no per-batch allocation).
/// A returned span stays valid until the next read that needs bytes outside the buffer.
/// </summary>
internal sealed class BatchFileReader
{
    private byte[] _buffer;
    private SafeFileHandle? _handle;
    private long _bufferFilePosition = -1;
    private int _bufferLength;

    public BatchFileReader(int bufferSize = 1024 * 1024)
    {
        _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(bufferSize, 4096));
    }

    /// <summary>Forgets buffered bytes (after the file changed under the same handle, e.g. truncation).</summary>
    public void Invalidate()
    {
        _bufferFilePosition = -1;
        _bufferLength = 0;
        _handle = null;
    }

    public BatchReadStatus TryRead(SafeFileHandle handle, long position, long limit, out ReadOnlySpan<byte> batch, out RecordBatchHeader header)
    {
        batch = default;
        header = default;
        if (position >= limit)
        {
            return BatchReadStatus.End;
        }

        if (limit - position < RecordBatch.HeaderSize)
        {
            return BatchReadStatus.Incomplete;
        }

        if (!Ensure(handle, position, RecordBatch.HeaderSize, limit))
        {
            return BatchReadStatus.Incomplete;
        }

        int offsetInBuffer = (int)(position - _bufferFilePosition);
        int total = RecordBatch.TotalSize(_buffer.AsSpan(offsetInBuffer, RecordBatch.LogOverhead));
        if (total < 0)
        {
            return BatchReadStatus.BadLength;
        }

        if (limit - position < total)
        {
            return BatchReadStatus.Incomplete;
        }

        if (!Ensure(handle, position, total, limit))
        {
            return BatchReadStatus.Incomplete;
        }

        offsetInBuffer = (int)(position - _bufferFilePosition);
        batch = _buffer.AsSpan(offsetInBuffer, total);
        header = RecordBatch.ReadHeader(batch);
        return BatchReadStatus.Ok;
    }

    /// <summary>Bytes returned by the last successful <see cref="TryRead"/> (still buffered).</summary>
    public ReadOnlySpan<byte> Peek(long position, int length) => _buffer.AsSpan((int)(position - _bufferFilePosition), length);

    private bool Ensure(SafeFileHandle handle, long position, int count, long limit)
    {
        if (ReferenceEquals(handle, _handle) && position >= _bufferFilePosition && position + count <= _bufferFilePosition + _bufferLength)
        {
            return true;
        }

        if (count > _buffer.Length)
        {
            _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(count, _buffer.Length * 2));
        }

        // Sequential reads fill the whole buffer; a jump (seek, index lookup) reads a smaller window first.
        bool sequential = ReferenceEquals(handle, _handle) && position == _bufferFilePosition + _bufferLength;
        int window = sequential ? _buffer.Length : Math.Min(_buffer.Length, Math.Max(count, 64 * 1024));
        int want = (int)Math.Min(window, limit - position);
        int read = 0;
        while (read < want)
        {
            int n = RandomAccess.Read(handle, _buffer.AsSpan(read, want - read), position + read);
            if (n <= 0)
            {
                break;
            }

            read += n;
        }

        _handle = handle;
        _bufferFilePosition = position;
        _bufferLength = read;
        return read >= count;
    }
}
