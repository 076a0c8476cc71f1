using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Kappa.Determinism;

/// <summary>
/// Name-based (RFC 9562 version 5, SHA-1) identifiers derived from a record's position in the log.
/// The same record always yields the same id, so replaying the log reproduces the ids a processor emitted.
/// </summary>
public static class DeterministicGuid
{
    /// <summary>The namespace id all Kappa record ids are derived under.</summary>
    public static readonly Guid RecordNamespace = new("5c1f3b0e-7a54-4b1e-9d1c-6b2f4a8e0c31");

    /// <summary>
    /// The id of the <paramref name="index"/>-th value derived from the record at <paramref name="topic"/>/<paramref name="partition"/>/<paramref name="offset"/>.
    /// Use a different index for each id one record needs.
    /// </summary>
    public static Guid FromRecord(string topic, int partition, long offset, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (partition < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition, "A partition number is never negative.");
        }

        if (offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "A log offset is never negative.");
        }

        if (index < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "The id index must be zero or positive.");
        }

        // name = utf8(topic) || 0x00 || partition (BE int32) || offset (BE int64) || index (BE int32)
        int topicBytes = Encoding.UTF8.GetByteCount(topic);
        byte[] name = new byte[topicBytes + 1 + 4 + 8 + 4];
        Encoding.UTF8.GetBytes(topic, 0, topic.Length, name, 0);
        int p = topicBytes + 1;
        BinaryPrimitives.WriteInt32BigEndian(name.AsSpan(p), partition);
        BinaryPrimitives.WriteInt64BigEndian(name.AsSpan(p + 4), offset);
        BinaryPrimitives.WriteInt32BigEndian(name.AsSpan(p + 12), index);
        return Create(RecordNamespace, name);
    }

    /// <summary>An RFC 9562 version 5 id: SHA-1 over the namespace id (big-endian bytes) followed by <paramref name="name"/>.</summary>
    public static Guid Create(Guid namespaceId, ReadOnlySpan<byte> name)
    {
        byte[] input = new byte[16 + name.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input.AsSpan(16));
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash[..16], bigEndian: true);
    }
}
