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
    public byte[] EncodeKey()
    {
        int n = Encoding.UTF8.GetByteCount(TransactionalId);
        byte[] key = new byte[4 + n];
        BinaryPrimitives.WriteInt16BigEndian(key, 0);
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), checked((short)n));
        Encoding.UTF8.GetBytes(TransactionalId, key.AsSpan(4));
        return key;
    }

    public byte[] EncodeValue()
    {
        int size = 2 + 8 + 2 + 1 + 8 + 4;
        foreach (TopicPartitionOffset p in Partitions)
        {
            size += 2 + Encoding.UTF8.GetByteCount(p.Topic) + 4 + 8;
        }

        byte[] value = new byte[size];
        Span<byte> s = value;
        BinaryPrimitives.WriteInt16BigEndian(s, 1);
        BinaryPrimitives.WriteInt64BigEndian(s[2..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(s[10..], Epoch);
        s[12] = (byte)Status;
        BinaryPrimitives.WriteInt64BigEndian(s[13..], TimestampMs);
        BinaryPrimitives.WriteInt32BigEndian(s[21..], Partitions.Count);
        int pos = 25;
        foreach (TopicPartitionOffset p in Partitions)
        {
            int t = Encoding.UTF8.GetBytes(p.Topic, s[(pos + 2)..]);
            BinaryPrimitives.WriteInt16BigEndian(s[pos..], (short)t);
            pos += 2 + t;
            BinaryPrimitives.WriteInt32BigEndian(s[pos..], p.Partition);
            BinaryPrimitives.WriteInt64BigEndian(s[(pos + 4)..], p.Offset);
            pos += 12;
        }

        return value;
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
