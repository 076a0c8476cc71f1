using Kappa.Log.Format;
using Kappa.Transport;
using Microsoft.Extensions.Logging;

namespace Kappa.Log.Transactions;

/// <summary>
/// The durable transaction state of an embedded log directory: the compacted internal topic <see cref="TopicName"/> (one
/// partition). It stores each transactional id's producer id and epoch (fencing survives restarts) and brackets every
/// transactional commit with a <see cref="TransactionStatus.Prepare"/> record (the partitions and their offsets before the
/// transaction) and a <see cref="TransactionStatus.Committed"/> record (the commit point). On open, a transaction whose latest
/// record is Prepare is rolled back: its partitions are truncated to the recorded offsets and an Aborted record is written.
/// All commits are serialized by one lock (see docs/embedded-log.md, "Exactly-once").
/// </summary>
internal sealed class TransactionLog
{
    /// <summary>The internal compacted topic holding transaction state.</summary>
    public const string TopicName = "_kappa.transactions";

    private readonly EmbeddedLog _log;
    private readonly Dictionary<string, TransactionalIdState> _ids = new(StringComparer.Ordinal);
    private readonly RecordBatchBuilder _builder = new(4096);
    private PartitionLog? _partition;
    private byte[] _scratch = new byte[512];
    private long _nextProducerId;

    private TransactionLog(EmbeddedLog log)
    {
        _log = log;
    }

    /// <summary>Taken for a whole commit (and by InitTransactions); the order is: this lock, the offset store, partition write locks.</summary>
    public object SyncRoot { get; } = new();

    /// <summary>How many prepared transactions recovery rolled back when the log was opened.</summary>
    public int RolledBackOnOpen { get; private set; }

    /// <summary>Loads the transaction state and rolls back transactions left prepared by a crash. Runs inside <see cref="EmbeddedLog.Open"/>.</summary>
    public static TransactionLog Open(EmbeddedLog log)
    {
        var txn = new TransactionLog(log);
        if (!log.TryGetPartitions(TopicName, out PartitionLog[] partitions))
        {
            return txn;
        }

        txn._partition = partitions[0];
        var latest = new Dictionary<string, TransactionRecord>(StringComparer.Ordinal);
        using (PartitionReader reader = txn._partition.OpenReader(0))
        {
            while (reader.TryRead(out BatchRecord record))
            {
                if (record.KeyIsNull || record.ValueIsNull)
                {
                    continue;
                }

                TransactionRecord? r = TransactionRecord.TryDecode(record.Key, record.Value, out string? error);
                if (r is null)
                {
                    log.Options.Logger.LogWarning("Embedded log: ignoring unreadable record at offset {Offset} of {Topic}: {Error}.", record.Offset, TopicName, error);
                    continue;
                }

                latest[r.TransactionalId] = r;
            }
        }

        foreach (TransactionRecord r in latest.Values)
        {
            txn._ids[r.TransactionalId] = new TransactionalIdState(r.TransactionalId, r.ProducerId, r.Epoch);
            txn._nextProducerId = Math.Max(txn._nextProducerId, r.ProducerId + 1);
            if (r.Status == TransactionStatus.Prepare)
            {
                txn.RollBack(r);
            }
        }

        return txn;
    }

    /// <summary>
    /// InitTransactions: bumps the epoch of <paramref name="transactionalId"/> (allocating a producer id on first use) and
    /// persists it, so any older producer with the same id is fenced. Caller holds <see cref="SyncRoot"/>.
    /// </summary>
    public TransactionalIdState RegisterLocked(string transactionalId)
    {
        EnsurePartition();
        if (!_ids.TryGetValue(transactionalId, out TransactionalIdState? state))
        {
            state = new TransactionalIdState(transactionalId, _nextProducerId++, -1);
            _ids[transactionalId] = state;
        }

        long pid = state.ProducerId;
        short epoch = (short)(state.Epoch + 1);
        if (state.Epoch >= short.MaxValue - 1)
        {
            // Epoch exhausted: a new producer id, as Kafka does.
            pid = _nextProducerId++;
            epoch = 0;
        }

        WriteLocked(new TransactionRecord(transactionalId, pid, epoch, TransactionStatus.Empty, NowMs(), Array.Empty<TopicPartitionOffset>()), durable: true);
        state.ProducerId = pid;
        state.Epoch = epoch;
        return state;
    }

    /// <summary>Appends a transaction-state record; <paramref name="durable"/>: fsynced unless the policy is Never. Caller holds <see cref="SyncRoot"/>.</summary>
    public void WriteLocked(TransactionRecord record, bool durable) =>
        WriteLocked(record.TransactionalId, record.ProducerId, record.Epoch, record.Status, record.TimestampMs, record.Partitions, durable);

    /// <summary>Appends a transaction-state record without allocating (the commit path). Caller holds <see cref="SyncRoot"/>.</summary>
    public void WriteLocked(string transactionalId, long producerId, short epoch, TransactionStatus status, long timestampMs, IReadOnlyList<TopicPartitionOffset> partitions, bool durable)
    {
        PartitionLog partition = EnsurePartition();
        int keySize = TransactionRecord.KeySize(transactionalId);
        int size = keySize + TransactionRecord.ValueSize(partitions);
        if (_scratch.Length < size)
        {
            _scratch = new byte[Math.Max(size, _scratch.Length * 2)];
        }

        int k = TransactionRecord.WriteKey(_scratch, transactionalId);
        int v = TransactionRecord.WriteValue(_scratch.AsSpan(k), producerId, epoch, status, timestampMs, partitions);
        _builder.Reset();
        _builder.Append(timestampMs, _scratch.AsSpan(0, k), false, _scratch.AsSpan(k, v), false, default);
        partition.Append(_builder.Finish());
        if (durable && _log.Options.FsyncPolicy == FsyncPolicy.Interval)
        {
            partition.Flush();
        }
    }

    public long NowMs() => _log.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private void RollBack(TransactionRecord prepared)
    {
        ILogger logger = _log.Options.Logger;
        logger.LogWarning(
            "Embedded log recovery: transaction of '{Id}' (producer {ProducerId}, epoch {Epoch}) was prepared but not committed; rolling back {Partitions}.",
            prepared.TransactionalId,
            prepared.ProducerId,
            prepared.Epoch,
            string.Join(", ", prepared.Partitions));
        foreach (TopicPartitionOffset p in prepared.Partitions)
        {
            if (_log.TryGetPartitions(p.Topic, out PartitionLog[] parts) && (uint)p.Partition < (uint)parts.Length)
            {
                parts[p.Partition].TruncateTo(p.Offset);
            }
        }

        // The rollback is recorded (and forced to disk whatever the policy) before anything else can append after the
        // truncation points: a later open must not truncate them again.
        WriteLocked(prepared with { Status = TransactionStatus.Aborted, TimestampMs = NowMs() }, durable: false);
        _partition!.Flush(force: true);
        RolledBackOnOpen++;
    }

    private PartitionLog EnsurePartition()
    {
        if (_partition is null)
        {
            _log.EnsureTopic(TopicName, new TopicConfig(1, Compacted: true));
            _partition = _log.GetPartition(TopicName, 0);
        }

        return _partition;
    }
}
