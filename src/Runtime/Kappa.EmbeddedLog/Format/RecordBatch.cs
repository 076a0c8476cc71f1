using System.Buffers.Binary;

namespace Kappa.Log.Format;

/// <summary>
/// Layout of Kafka's record batch v2 (magic 2). All header integers are big-endian; the CRC-32C covers
/// everything from <see cref="AttributesOffset"/> to the end of the batch.
/// </summary>
public static class RecordBatch
{
    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordsCountOffset = 57;

    /// <summary>Size of the batch header; records start here.</summary>
    public const int HeaderSize = 61;

    /// <summary>Bytes before the batch length field's coverage starts (baseOffset + batchLength).</summary>
    public const int LogOverhead = 12;

    public const byte CurrentMagic = 2;

    /// <summary>Attribute bits 0-2: compression codec (0 = none).</summary>
    public const short CompressionMask = 0x07;

    /// <summary>Attribute bit 3: timestamp type (0 = CreateTime, 1 = LogAppendTime).</summary>
    public const short TimestampTypeMask = 0x08;

    public const short TransactionalMask = 0x10;

    public const short ControlMask = 0x20;

    /// <summary>Largest batch this log accepts or reads (guards against corrupt lengths).</summary>
    public const int MaxBatchSize = 64 * 1024 * 1024;

    /// <summary>Writes the base offset into a finished batch (not covered by the CRC).</summary>
    public static void SetBaseOffset(Span<byte> batch, long baseOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(batch[BaseOffsetOffset..], baseOffset);

    /// <summary>Reads the header; throws <see cref="FormatException"/> when fewer than <see cref="HeaderSize"/> bytes are given.</summary>
    public static RecordBatchHeader ReadHeader(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < HeaderSize)
        {
            throw new FormatException($"Record batch header needs {HeaderSize} bytes, got {batch.Length}.");
        }

        return new RecordBatchHeader(
            BinaryPrimitives.ReadInt64BigEndian(batch),
            BinaryPrimitives.ReadInt32BigEndian(batch[BatchLengthOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(batch[PartitionLeaderEpochOffset..]),
            batch[MagicOffset],
            BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]),
            BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDeltaOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(batch[BaseTimestampOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(batch[MaxTimestampOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(batch[ProducerIdOffset..]),
            BinaryPrimitives.ReadInt16BigEndian(batch[ProducerEpochOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(batch[BaseSequenceOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(batch[RecordsCountOffset..]));
    }

    /// <summary>
    /// Checks a complete batch (exactly <paramref name="batch"/>): length, magic, CRC-32C, supported attributes.
    /// Returns null when it is valid, else the reason.
    /// </summary>
    public static string? Validate(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < HeaderSize)
        {
            return $"batch of {batch.Length} bytes is shorter than the {HeaderSize}-byte header";
        }

        int batchLength = BinaryPrimitives.ReadInt32BigEndian(batch[BatchLengthOffset..]);
        if (batchLength + LogOverhead != batch.Length)
        {
            return $"batch length field {batchLength} does not match the {batch.Length - LogOverhead} bytes given";
        }

        if (batch[MagicOffset] != CurrentMagic)
        {
            return $"magic byte is {batch[MagicOffset]}, expected {CurrentMagic}";
        }

        uint stored = BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]);
        uint actual = Crc32C.Compute(batch[AttributesOffset..]);
        if (stored != actual)
        {
            return $"CRC-32C mismatch (stored 0x{stored:x8}, computed 0x{actual:x8})";
        }

        short attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]);
        if ((attributes & CompressionMask) != 0)
        {
            return $"compression codec {attributes & CompressionMask} is not supported by the embedded log (only uncompressed batches)";
        }

        int count = BinaryPrimitives.ReadInt32BigEndian(batch[RecordsCountOffset..]);
        int lastDelta = BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDeltaOffset..]);
        if (count < 0 || lastDelta < 0 || (count > 0 && lastDelta < count - 1))
        {
            return $"record count {count} and last offset delta {lastDelta} are inconsistent";
        }

        return null;
    }

    /// <summary>
    /// Reads the length of the batch starting at <paramref name="data"/> (which needs at least <see cref="LogOverhead"/> bytes):
    /// the whole batch size, or -1 when the length field is impossible.
    /// </summary>
    public static int TotalSize(ReadOnlySpan<byte> data)
    {
        int batchLength = BinaryPrimitives.ReadInt32BigEndian(data[BatchLengthOffset..]);
        if (batchLength < HeaderSize - LogOverhead || batchLength > MaxBatchSize)
        {
            return -1;
        }

        return batchLength + LogOverhead;
    }
}
