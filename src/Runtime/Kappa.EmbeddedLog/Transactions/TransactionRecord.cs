using System.Buffers.Binary;
using System.Text;
using Kappa.Transport;

namespace Kappa.Log.Transactions;

/// <summary>
/// One record of the transaction log <see cref="TransactionLog.TopicName"/>. Key: int16 version (0), int16-length UTF-8
/// transactional id (Kafka's <c>__transaction_state</c> key layout). Value (big-endian): int16 version (1), int64 producer id,
/// int16 producer epoch, int8 status (<see cref="TransactionStatus"/>), int64 timestamp, int32 partition count, then per
/// partition int16-length UTF-8 topic, int32 partition, int64 start offset (the log end offset before the transaction).
/// </summary>
internal sealed record TransactionRecord(string TransactionalId, long ProducerId, short Epoch, TransactionStatus Status, long TimestampMs, IReadOnlyList<TopicPartitionOffset> Partitions)
{
    /// <summary>Bytes of the key of <paramref name="transactionalId"/>.</summary>
    public static int KeySize(string transactionalId) => 4 + Encoding.UTF8.GetByteCount(transactionalId);

    /// <summary>Bytes of a value listing <paramref name="partitions"/>.</summary>
    public static int ValueSize(IReadOnlyList<TopicPartitionOffset> partitions)
    {
        int size = 25;
        for (int i = 0; i < partitions.Count; i++)
        {
            size += 2 + Encoding.UTF8.GetByteCount(partitions[i].Topic) + 12;
        }

        return size;
    }

    /// <summary>Writes the key (no allocation); returns its length.</summary>
    public static int WriteKey(Span<byte> key, string transactionalId)
    {
        int n = Encoding.UTF8.GetBytes(transactionalId, key[4..]);
        BinaryPrimitives.WriteInt16BigEndian(key, 0);
        BinaryPrimitives.WriteInt16BigEndian(key[2..], checked((short)n));
        return 4 + n;
    }

    /// <summary>Writes the value (no allocation); returns its length.</summary>
    public static int WriteValue(Span<byte> s, long producerId, short epoch, TransactionStatus status, long timestampMs, IReadOnlyList<TopicPartitionOffset> partitions)
    {
        BinaryPrimitives.WriteInt16BigEndian(s, 1);
        BinaryPrimitives.WriteInt64BigEndian(s[2..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(s[10..], epoch);
        s[12] = (byte)status;
        BinaryPrimitives.WriteInt64BigEndian(s[13..], timestampMs);
        BinaryPrimitives.WriteInt32BigEndian(s[21..], partitions.Count);
        int pos = 25;
        for (int i = 0; i < partitions.Count; i++)
        {
            TopicPartitionOffset p = partitions[i];
            int t = Encoding.UTF8.GetBytes(p.Topic, s[(pos + 2)..]);
            BinaryPrimitives.WriteInt16BigEndian(s[pos..], (short)t);
            pos += 2 + t;
            BinaryPrimitives.WriteInt32BigEndian(s[pos..], p.Partition);
            BinaryPrimitives.WriteInt64BigEndian(s[(pos + 4)..], p.Offset);
            pos += 12;
        }

        return pos;
    }

    /// <summary>Decodes a record; null (with <paramref name="error"/>) when the bytes do not follow the layout.</summary>
    public static TransactionRecord? TryDecode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, out string? error)
    {
        error = null;
        if (key.Length < 4 || BinaryPrimitives.ReadInt16BigEndian(key) != 0 || BinaryPrimitives.ReadInt16BigEndian(key[2..]) != key.Length - 4)
        {
            error = "bad key";
            return null;
        }

        string id = Encoding.UTF8.GetString(key[4..]);
        if (value.Length < 25 || BinaryPrimitives.ReadInt16BigEndian(value) != 1)
        {
            error = $"bad value for transactional id '{id}' ({value.Length} bytes)";
            return null;
        }

        long pid = BinaryPrimitives.ReadInt64BigEndian(value[2..]);
        short epoch = BinaryPrimitives.ReadInt16BigEndian(value[10..]);
        byte status = value[12];
        long ts = BinaryPrimitives.ReadInt64BigEndian(value[13..]);
        int count = BinaryPrimitives.ReadInt32BigEndian(value[21..]);
        if (status > (byte)TransactionStatus.Aborted || count < 0 || count > (value.Length - 25) / 14)
        {
            error = $"bad status {status} or partition count {count} for transactional id '{id}'";
            return null;
        }

        var partitions = new TopicPartitionOffset[count];
        int pos = 25;
        for (int i = 0; i < count; i++)
        {
            if (pos + 2 > value.Length)
            {
                error = $"truncated partition list for transactional id '{id}'";
                return null;
            }

            int t = BinaryPrimitives.ReadInt16BigEndian(value[pos..]);
            if (t < 0 || pos + 2 + t + 12 > value.Length)
            {
                error = $"truncated partition list for transactional id '{id}'";
                return null;
            }

            string topic = Encoding.UTF8.GetString(value.Slice(pos + 2, t));
            pos += 2 + t;
            partitions[i] = new TopicPartitionOffset(topic, BinaryPrimitives.ReadInt32BigEndian(value[pos..]), BinaryPrimitives.ReadInt64BigEndian(value[(pos + 4)..]));
            pos += 12;
        }

        return new TransactionRecord(id, pid, epoch, (TransactionStatus)status, ts, partitions);
    }
}
