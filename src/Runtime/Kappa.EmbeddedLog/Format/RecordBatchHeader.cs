namespace Kappa.Log.Format;

/// <summary>The fixed 61-byte header of a record batch v2.</summary>
public readonly record struct RecordBatchHeader(
    long BaseOffset,
    int BatchLength,
    int PartitionLeaderEpoch,
    byte Magic,
    uint Crc,
    short Attributes,
    int LastOffsetDelta,
    long BaseTimestamp,
    long MaxTimestamp,
    long ProducerId,
    short ProducerEpoch,
    int BaseSequence,
    int RecordCount)
{
    /// <summary>Size of the whole batch including the base offset and length fields.</summary>
    public int TotalSize => BatchLength + RecordBatch.LogOverhead;

    public long LastOffset => BaseOffset + LastOffsetDelta;

    /// <summary>The offset after this batch.</summary>
    public long NextOffset => BaseOffset + LastOffsetDelta + 1;

    public bool IsControl => (Attributes & RecordBatch.ControlMask) != 0;

    public bool IsTransactional => (Attributes & RecordBatch.TransactionalMask) != 0;
}
