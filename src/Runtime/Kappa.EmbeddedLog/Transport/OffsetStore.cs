using System.Buffers.Binary;
using System.Text;
using Kappa.Log.Format;
using Kappa.Naming;
using Kappa.Transport;

namespace Kappa.Log.Transport;

/// <summary>
/// Committed consumer offsets in the compacted topic <see cref="KappaNames.ConsumerOffsetsTopic"/> (one partition).
/// Key: int16 version (1), int16-length UTF-8 group, int16-length UTF-8 topic, int32 partition (Kafka's OffsetCommitKey v1
/// layout). Value: int16 version (1), int64 offset, int16-length UTF-8 metadata, int64 commit timestamp. All big-endian.
/// The latest value per key wins; the whole topic is read into memory when the transport opens.
/// </summary>
internal sealed class OffsetStore
{
    private readonly EmbeddedLog _log;
    private readonly PartitionLog _partition;
    private readonly Dictionary<(string Group, string Topic, int Partition), long> _offsets = new();
    private readonly object _lock = new();
    private readonly RecordBatchBuilder _builder = new(4096);

    public OffsetStore(EmbeddedLog log)
    {
        _log = log;
        log.EnsureTopic(KappaNames.ConsumerOffsetsTopic, new TopicConfig(1, Compacted: true));
        _partition = log.GetPartition(KappaNames.ConsumerOffsetsTopic, 0);
        using PartitionReader reader = _partition.OpenReader(0);
        while (reader.TryRead(out BatchRecord record))
        {
            if (record.KeyIsNull || !TryDecodeKey(record.Key, out (string, string, int) key))
            {
                continue;
            }

            if (record.ValueIsNull)
            {
                _offsets.Remove(key);
            }
            else if (record.Value.Length >= 10 && BinaryPrimitives.ReadInt16BigEndian(record.Value) == 1)
            {
                _offsets[key] = BinaryPrimitives.ReadInt64BigEndian(record.Value[2..]);
            }
        }
    }

    public long? Get(string group, TopicPartition partition)
    {
        lock (_lock)
        {
            return _offsets.TryGetValue((group, partition.Topic, partition.Partition), out long o) ? o : null;
        }
    }

    /// <summary>Groups with at least one committed offset, in ordinal order.</summary>
    public IReadOnlyCollection<string> Groups()
    {
        lock (_lock)
        {
            return _offsets.Keys.Select(k => k.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>Writes a tombstone for every committed offset of <paramref name="group"/>; returns how many were removed.</summary>
    public int DeleteGroup(string group)
    {
        lock (_lock)
        {
            var keys = _offsets.Keys.Where(k => k.Group == group).ToList();
            if (keys.Count == 0)
            {
                return 0;
            }

            long now = _log.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            _builder.Reset();
            foreach (var (g, topic, partition) in keys)
            {
                _builder.Append(now, EncodeKey(g, topic, partition), false, default, true, default);
            }

            _partition.Append(_builder.Finish());
            _partition.Flush();
            foreach (var key in keys)
            {
                _offsets.Remove(key);
            }

            return keys.Count;
        }
    }

    
    public void ForgetTopic(string topic)
    {
        lock (_lock)
        {
            var keys = _offsets.Keys.Where(k => k.Topic == topic).ToList();
            if (keys.Count == 0)
            {
                return;
            }

            long now = _log.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            _builder.Reset();
            foreach (var (g, t, partition) in keys)
            {
                _builder.Append(now, EncodeKey(g, t, partition), false, default, true, default);
            }

            _partition.Append(_builder.Finish());
            _partition.Flush();
            foreach (var key in keys)
            {
                _offsets.Remove(key);
            }
        }
    }

    /// <summary>Lock order for transactions: transaction log lock, then this, then partition write locks.</summary>
    internal object SyncRoot => _lock;

    internal PartitionLog Partition => _partition;

    public void Commit(string group, IReadOnlyList<TopicPartitionOffset> offsets)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        Validate(group, offsets);
        lock (_lock)
        {
            long now = _log.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            _builder.Reset();
            foreach (TopicPartitionOffset o in offsets)
            {
                AppendRecord(_builder, group, o, now);
            }

            _partition.Append(_builder.Finish());
            _partition.Flush();
            ApplyLocked(group, offsets);
        }
    }

    /// <summary>Adds the offset-commit record of <paramref name="offset"/> to <paramref name="builder"/> (a transaction's offsets batch).</summary>
    internal static void AppendRecord(RecordBatchBuilder builder, string group, TopicPartitionOffset offset, long now)
    {
        int g = Encoding.UTF8.GetByteCount(group);
        int t = Encoding.UTF8.GetByteCount(offset.Topic);
        int keySize = 2 + 2 + g + 2 + t + 4;
        Span<byte> k = keySize <= 512 ? stackalloc byte[keySize] : new byte[keySize];
        BinaryPrimitives.WriteInt16BigEndian(k, 1);
        BinaryPrimitives.WriteInt16BigEndian(k[2..], (short)g);
        Encoding.UTF8.GetBytes(group, k[4..]);
        BinaryPrimitives.WriteInt16BigEndian(k[(4 + g)..], (short)t);
        Encoding.UTF8.GetBytes(offset.Topic, k[(6 + g)..]);
        BinaryPrimitives.WriteInt32BigEndian(k[(6 + g + t)..], offset.Partition);
        Span<byte> v = stackalloc byte[2 + 8 + 2 + 8];
        BinaryPrimitives.WriteInt16BigEndian(v, 1);
        BinaryPrimitives.WriteInt64BigEndian(v[2..], offset.Offset);
        BinaryPrimitives.WriteInt16BigEndian(v[10..], 0);
        BinaryPrimitives.WriteInt64BigEndian(v[12..], now);
        builder.Append(now, k, false, v, false, default);
    }

    /// <summary>Updates the in-memory view after the records are in the log. Caller holds <see cref="SyncRoot"/>.</summary>
    internal void ApplyLocked(string group, IReadOnlyList<TopicPartitionOffset> offsets)
    {
        foreach (TopicPartitionOffset o in offsets)
        {
            _offsets[(group, o.Topic, o.Partition)] = o.Offset;
        }
    }

    /// <summary>Updates the in-memory view of one offset. Caller holds <see cref="SyncRoot"/>.</summary>
    internal void ApplyLocked(string group, TopicPartitionOffset offset) => _offsets[(group, offset.Topic, offset.Partition)] = offset.Offset;

    /// <summary>Rejects negative offsets and partitions that do not exist, naming the group and partition.</summary>
    internal void Validate(string group, IReadOnlyList<TopicPartitionOffset> offsets)
    {
        for (int i = 0; i < offsets.Count; i++)
        {
            TopicPartitionOffset o = offsets[i];
            if (o.Offset < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(offsets), o.Offset, $"Cannot commit a negative offset for {o.TopicPartition} in group '{group}'.");
            }

            if (!_log.TryGetPartitions(o.Topic, out PartitionLog[] parts) || (uint)o.Partition >= (uint)parts.Length)
            {
                throw new KappaTransportException($"Cannot commit {o} for group '{group}': the partition does not exist in the embedded log.");
            }
        }
    }

    internal static byte[] EncodeKey(string group, string topic, int partition)
    {
        int g = Encoding.UTF8.GetByteCount(group);
        int t = Encoding.UTF8.GetByteCount(topic);
        byte[] key = new byte[2 + 2 + g + 2 + t + 4];
        BinaryPrimitives.WriteInt16BigEndian(key, 1);
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), (short)g);
        Encoding.UTF8.GetBytes(group, key.AsSpan(4));
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(4 + g), (short)t);
        Encoding.UTF8.GetBytes(topic, key.AsSpan(6 + g));
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(6 + g + t), partition);
        return key;
    }

    private static bool TryDecodeKey(ReadOnlySpan<byte> key, out (string, string, int) decoded)
    {
        decoded = default;
        if (key.Length < 10 || BinaryPrimitives.ReadInt16BigEndian(key) != 1)
        {
            return false;
        }

        int g = BinaryPrimitives.ReadInt16BigEndian(key[2..]);
        if (g < 0 || 4 + g + 2 > key.Length)
        {
            return false;
        }

        int t = BinaryPrimitives.ReadInt16BigEndian(key[(4 + g)..]);
        if (t < 0 || 6 + g + t + 4 != key.Length)
        {
            return false;
        }

        decoded = (Encoding.UTF8.GetString(key.Slice(4, g)), Encoding.UTF8.GetString(key.Slice(6 + g, t)), BinaryPrimitives.ReadInt32BigEndian(key[(6 + g + t)..]));
        return true;
    }
}
