using System.Buffers;
using Kappa.Log.Format;
using Kappa.Log.Transactions;
using Kappa.Transport;

namespace Kappa.Log.Transport;

/// <summary>
/// A transactional producer on the embedded log. A transaction's records are kept in this producer (finished record
/// batches per partition, with the transactional attribute, producer id and epoch) until <see cref="CommitTransaction"/>,
/// which writes them, the offsets sent with <see cref="SendOffsetsToTransaction"/> and a COMMIT marker per partition as
/// one atomic unit (see <see cref="TransactionLog"/> and docs/embedded-log.md). Nothing of an open or aborted transaction
/// is ever appended, so consumers cannot see it. Thread-affine.
/// </summary>
internal sealed class EmbeddedLogTransactionalProducer : ITransactionalProducer
{
    private const int MarkerReserve = 128;

    private readonly EmbeddedLogTransport _transport;
    private readonly TransactionLog _txnLog;
    private readonly string _transactionalId;
    private readonly Dictionary<string, TopicBuffers> _topics = new(StringComparer.Ordinal);
    private readonly List<PartitionBuffer> _touched = new();
    private readonly List<(string Group, TopicPartitionOffset Offset)> _offsets = new();
    private readonly RecordBatchBuilder _marker = new(256);
    private readonly RecordBatchBuilder _offsetsBatch = new(4096);
    private readonly List<(PartitionLog Log, PartitionBuffer? Buffer, long Bytes)> _parts = new();
    private readonly List<TopicPartitionOffset> _positions = new();
    private long[] _starts = new long[8];
    private TopicBuffers? _last;
    private byte[] _offsetsScratch = Array.Empty<byte>();
    private int _offsetsScratchLength;
    private TransactionalIdState? _state;
    private long _producerId = -1;
    private short _epoch = -1;
    private bool _inTransaction;
    private bool _commitFailed;
    private bool _fenced;
    private bool _disposed;

    public EmbeddedLogTransactionalProducer(EmbeddedLogTransport transport, string transactionalId)
    {
        _transport = transport;
        _txnLog = transport.Log.Transactions;
        _transactionalId = transactionalId;
    }

    public void InitTransactions(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnterTxnLock(timeout, "InitTransactions");
        try
        {
            _state = _txnLog.RegisterLocked(_transactionalId);
            _producerId = _state.ProducerId;
            _epoch = _state.Epoch;
            _fenced = false;
        }
        finally
        {
            Monitor.Exit(_txnLog.SyncRoot);
        }

        Discard();
        foreach (TopicBuffers t in _topics.Values)
        {
            foreach (PartitionBuffer? b in t.Buffers)
            {
                b?.ResetSequence();
            }
        }
    }

    public void BeginTransaction()
    {
        CheckUsable();
        _commitFailed = false;
        if (_inTransaction)
        {
            throw new InvalidOperationException($"Transactional producer '{_transactionalId}' already has a transaction in progress; commit or abort it first.");
        }

        _inTransaction = true;
    }

    public void Produce(in OutgoingRecord record)
    {
        CheckInTransaction("Produce");
        TopicBuffers topic = _last is not null && ReferenceEquals(_last.Name, record.Topic) ? _last : GetTopic(record.Topic);
        _last = topic;
        int count = topic.Partitions.Length;
        int partition = ProducerPartitioning.Choose(record, count, topic.Sticky);

        PartitionBuffer buffer = topic.Buffers[partition] ??= new PartitionBuffer(topic.Partitions[partition], _transport.Log.Options.ProducerBatchBytes);
        if (record.KeyIsNull && buffer.Log.Config.Compacted)
        {
            throw new KappaTransportException($"Cannot produce a record without a key to compacted topic '{record.Topic}': compaction keeps the latest record per key.");
        }

        if (!buffer.Touched)
        {
            buffer.Touched = true;
            _touched.Add(buffer);
        }

        RecordBatchBuilder builder = buffer.Builder;
        if (builder.Count == 0)
        {
            builder.ProducerId = _producerId;
            builder.ProducerEpoch = _epoch;
            builder.Attributes = RecordBatch.TransactionalMask;
        }

        EmbeddedLogOptions options = _transport.Log.Options;
        long timestamp = record.TimestampMs >= 0 ? record.TimestampMs : options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        builder.Append(timestamp, record.Key, record.KeyIsNull, record.Value, record.ValueIsNull, record.EncodedHeaders);
        if (builder.Count >= options.ProducerBatchRecords || builder.SizeInBytes >= options.ProducerBatchBytes)
        {
            buffer.SealBuilder();
            if (partition == topic.Sticky && count > 1)
            {
                topic.Sticky = (topic.Sticky + 1) % count;
            }
        }
    }

    public void SendOffsetsToTransaction(IReadOnlyList<TopicPartitionOffset> offsets, IKappaConsumer consumer, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(consumer);
        CheckInTransaction("SendOffsetsToTransaction");
        if (consumer is not EmbeddedLogConsumer embedded || !ReferenceEquals(embedded.Transport, _transport))
        {
            throw new ArgumentException($"SendOffsetsToTransaction needs a consumer of the same embedded log transport ({_transport.Description}); got {consumer.GetType().Name}.", nameof(consumer));
        }

        _transport.Offsets.Validate(embedded.GroupId, offsets);
        for (int i = 0; i < offsets.Count; i++)
        {
            _offsets.Add((embedded.GroupId, offsets[i]));
        }
    }

    public void CommitTransaction(TimeSpan timeout)
    {
        CheckInTransaction("CommitTransaction");
        EnterTxnLock(timeout, "CommitTransaction");
        bool offsetsLocked = false;
        try
        {
            CheckNotFencedLocked();
            if (_offsets.Count > 0)
            {
                Monitor.Enter(_transport.Offsets.SyncRoot);
                offsetsLocked = true;
            }

            _commitFailed = true;
            CommitLocked();
            _commitFailed = false;
        }
        finally
        {
            if (offsetsLocked)
            {
                Monitor.Exit(_transport.Offsets.SyncRoot);
            }

            Monitor.Exit(_txnLog.SyncRoot);

            // Committed, or failed and rolled back: either way the transaction is over.
            Discard();
        }
    }

    public void AbortTransaction(TimeSpan timeout)
    {
        if (_commitFailed && !_inTransaction)
        {
            // After a failed commit (already rolled back) the caller aborts, as Kafka requires: nothing left to do.
            CheckUsable();
            _commitFailed = false;
            return;
        }

        CheckInTransaction("AbortTransaction");
        // Nothing of the transaction was appended: aborting is dropping the buffered batches and offsets.
        Discard();
    }

    /// <summary>Inside a transaction: closes the open batches (they still become visible only on commit). Outside: nothing to do.</summary>
    public void Flush(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (PartitionBuffer b in _touched)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (b.Builder.Count > 0)
            {
                b.SealBuilder();
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Discard();
        foreach (TopicBuffers t in _topics.Values)
        {
            foreach (PartitionBuffer? b in t.Buffers)
            {
                b?.Dispose();
            }
        }

        _marker.Dispose();
        _offsetsBatch.Dispose();
        if (_offsetsScratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_offsetsScratch);
            _offsetsScratch = Array.Empty<byte>();
        }
    }

    private void CommitLocked()
    {
        List<(PartitionLog Log, PartitionBuffer? Buffer, long Bytes)> parts = _parts;
        parts.Clear();
        foreach (PartitionBuffer b in _touched)
        {
            if (b.HasData)
            {
                parts.Add((b.Log, b, b.PendingBytes + MarkerReserve));
            }
        }

        long nowMs = _txnLog.NowMs();
        if (_offsets.Count > 0)
        {
            _offsetsBatch.Reset();
            _offsetsBatch.ProducerId = _producerId;
            _offsetsBatch.ProducerEpoch = _epoch;
            _offsetsBatch.Attributes = RecordBatch.TransactionalMask;
            foreach ((string group, TopicPartitionOffset o) in _offsets)
            {
                OffsetStore.AppendRecord(_offsetsBatch, group, o, nowMs);
            }

            parts.Add((_transport.Offsets.Partition, null, _offsetsBatch.SizeInBytes + MarkerReserve));
        }

        if (parts.Count == 0)
        {
            return;
        }

        // A fixed order for the partition write locks (only one commit runs at a time, but keep it deterministic).
        parts.Sort((a, b) => a.Log.Topic == b.Log.Topic ? a.Log.Partition.CompareTo(b.Log.Partition) : string.CompareOrdinal(a.Log.Topic, b.Log.Topic));
        if (_starts.Length < parts.Count)
        {
            _starts = new long[Math.Max(parts.Count, _starts.Length * 2)];
        }

        long[] starts = _starts;
        int locked = 0;
        bool committed = false;
        bool durable = _transport.Log.Options.FsyncPolicy != FsyncPolicy.Never;
        try
        {
            for (; locked < parts.Count; locked++)
            {
                starts[locked] = parts[locked].Log.BeginTransactionalAppend(parts[locked].Bytes);
            }

            _positions.Clear();
            for (int i = 0; i < parts.Count; i++)
            {
                _positions.Add(new TopicPartitionOffset(parts[i].Log.Topic, parts[i].Log.Partition, starts[i]));
            }

            // 1. Intent: where each partition stood before the transaction (recovery truncates back to it).
            _txnLog.WriteLocked(_transactionalId, _producerId, _epoch, TransactionStatus.Prepare, nowMs, _positions, durable);

            // 2. The batches and a COMMIT marker per partition, written (one write per partition) but not published.
            Span<byte> marker = BuildMarker(nowMs);
            foreach ((PartitionLog log, PartitionBuffer? buffer, _) in parts)
            {
                if (buffer is not null)
                {
                    buffer.AppendTo(log, marker);
                }
                else
                {
                    _offsetsScratchLength = 0;
                    Concat(ref _offsetsScratch, ref _offsetsScratchLength, _offsetsBatch.Finish());
                    Concat(ref _offsetsScratch, ref _offsetsScratchLength, marker);
                    log.AppendUnpublished(_offsetsScratch.AsSpan(0, _offsetsScratchLength));
                }

                if (durable)
                {
                    log.FsyncTransactional();
                }
            }

            // 3. The commit point.
            _txnLog.WriteLocked(_transactionalId, _producerId, _epoch, TransactionStatus.Committed, nowMs, Array.Empty<TopicPartitionOffset>(), durable);
            committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException or InvalidOperationException)
        {
            throw new KappaTransportException($"Committing the transaction of '{_transactionalId}' failed and it was rolled back: {e.Message}", e);
        }
        finally
        {
            // 4. Publish everywhere (or roll back what was written), releasing the partition locks.
            for (int i = 0; i < locked; i++)
            {
                parts[i].Log.EndTransactionalAppend(committed, starts[i]);
            }

            if (!committed && locked > 0)
            {
                TryRecordAbort(nowMs);
            }
        }

        for (int i = 0; i < _offsets.Count; i++)
        {
            _transport.Offsets.ApplyLocked(_offsets[i].Group, _offsets[i].Offset);
        }

        for (int i = 0; i < parts.Count; i++)
        {
            parts[i].Buffer?.CommitSequence();
        }
    }

    private void TryRecordAbort(long nowMs)
    {
        try
        {
            _txnLog.WriteLocked(_transactionalId, _producerId, _epoch, TransactionStatus.Aborted, nowMs, Array.Empty<TopicPartitionOffset>(), durable: true);
        }
        catch (IOException)
        {
            // The Prepare record stays the latest: the next open rolls the partitions back again (idempotent truncation).
        }
    }

    /// <summary>A COMMIT control batch as Kafka writes it: control + transactional attributes, key int16 version 0, int16 type 1; value int16 version 0, int32 coordinator epoch.</summary>
    private Span<byte> BuildMarker(long nowMs)
    {
        _marker.Reset();
        _marker.ProducerId = _producerId;
        _marker.ProducerEpoch = _epoch;
        _marker.Attributes = RecordBatch.ControlMask | RecordBatch.TransactionalMask;
        ReadOnlySpan<byte> key = [0, 0, 0, 1];
        ReadOnlySpan<byte> value = [0, 0, 0, 0, 0, 0];
        _marker.Append(nowMs, key, false, value, false, default);
        return _marker.Finish();
    }

    private void Discard()
    {
        foreach (PartitionBuffer b in _touched)
        {
            b.Clear();
        }

        _touched.Clear();
        _offsets.Clear();
        _inTransaction = false;
    }

    private void EnterTxnLock(TimeSpan timeout, string operation)
    {
        if (!Monitor.TryEnter(_txnLog.SyncRoot, timeout < TimeSpan.Zero ? Timeout.InfiniteTimeSpan : timeout))
        {
            throw new KappaTransportException($"{operation} of '{_transactionalId}' timed out after {timeout} waiting for another transaction of the {_transport.Description} to finish.");
        }
    }

    private void CheckUsable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_state is null)
        {
            throw new InvalidOperationException($"Transactional producer '{_transactionalId}': call InitTransactions before the first transaction.");
        }

        if (_fenced || _state.Epoch != _epoch || _state.ProducerId != _producerId)
        {
            Fence();
        }
    }

    private void CheckInTransaction(string operation)
    {
        CheckUsable();
        if (!_inTransaction)
        {
            throw new InvalidOperationException($"{operation} on transactional producer '{_transactionalId}' needs a transaction: call BeginTransaction first.");
        }
    }

    private void CheckNotFencedLocked()
    {
        if (_state!.Epoch != _epoch || _state.ProducerId != _producerId)
        {
            Fence();
        }
    }

    private void Fence()
    {
        _fenced = true;
        Discard();
        throw new KappaFencedException($"Transactional producer '{_transactionalId}' (producer id {_producerId}, epoch {_epoch}) was fenced: a newer producer with the same transactional id called InitTransactions; its open transaction was aborted.");
    }

    /// <summary>Appends <paramref name="data"/> to a pooled, growing buffer.</summary>
    private static void Concat(ref byte[] buffer, ref int length, ReadOnlySpan<byte> data)
    {
        if (length + data.Length > buffer.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(length + data.Length, buffer.Length * 2));
            buffer.AsSpan(0, length).CopyTo(bigger);
            if (buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            buffer = bigger;
        }

        data.CopyTo(buffer.AsSpan(length));
        length += data.Length;
    }

    private TopicBuffers GetTopic(string name)
    {
        if (_topics.TryGetValue(name, out TopicBuffers? t))
        {
            return t;
        }

        PartitionLog[] partitions = _transport.GetOrCreateTopic(name);
        t = new TopicBuffers(name, partitions, new PartitionBuffer?[partitions.Length]);
        _topics[name] = t;
        return t;
    }

    private sealed class TopicBuffers(string name, PartitionLog[] partitions, PartitionBuffer?[] buffers)
    {
        public string Name { get; } = name;

        public PartitionLog[] Partitions { get; } = partitions;

        public PartitionBuffer?[] Buffers { get; } = buffers;

        public int Sticky { get; set; }
    }

    /// <summary>One partition's part of the transaction: finished batches (concatenated) plus the batch being built.</summary>
    private sealed class PartitionBuffer(PartitionLog log, int batchBytes) : IDisposable
    {
        private byte[] _sealed = Array.Empty<byte>();
        private int _sealedLength;
        private int _committedSequence;
        private int _sequence;

        public PartitionLog Log { get; } = log;

        public RecordBatchBuilder Builder { get; } = new(Math.Min(batchBytes + 4096, 1024 * 1024));

        public bool Touched { get; set; }

        public bool HasData => _sealedLength > 0 || Builder.Count > 0;

        public long PendingBytes => _sealedLength + (Builder.Count > 0 ? Builder.SizeInBytes : 0);

        public void SealBuilder()
        {
            Builder.BaseSequence = _sequence;
            _sequence = unchecked(_sequence + Builder.Count) & int.MaxValue;
            Concat(ref _sealed, ref _sealedLength, Builder.Finish());
            Builder.Reset();
        }

        /// <summary>Appends the batches and <paramref name="marker"/> unpublished, in one write; caller holds the partition's write lock.</summary>
        public void AppendTo(PartitionLog log, ReadOnlySpan<byte> marker)
        {
            if (Builder.Count > 0)
            {
                SealBuilder();
            }

            Concat(ref _sealed, ref _sealedLength, marker);
            log.AppendUnpublished(_sealed.AsSpan(0, _sealedLength));
        }

        public void CommitSequence() => _committedSequence = _sequence;

        /// <summary>A new epoch starts its sequences at 0 (Kafka's idempotence rule).</summary>
        public void ResetSequence()
        {
            _committedSequence = 0;
            _sequence = 0;
        }

        public void Clear()
        {
            _sealedLength = 0;
            _sequence = _committedSequence;
            Builder.Reset();
            Touched = false;
        }

        public void Dispose()
        {
            if (_sealed.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_sealed);
            }

            _sealed = Array.Empty<byte>();
            Builder.Dispose();
        }
    }
}
