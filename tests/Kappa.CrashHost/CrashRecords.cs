using System.Buffers.Binary;
using System.Text;

namespace Kappa.CrashHost;

/// <summary>
/// The record formats of the crash-test processor (running totals per key), shared by the host and the tests.
/// Input: key = UTF-8 text, value = int64 amount (big-endian). Output: key = input key, partition = input partition,
/// value = source partition (int32), source offset (int64), new total (int64). Changelog: key = input key, partition =
/// input partition, value = source offset (int64), total (int64).
/// </summary>
public static class CrashRecords
{
    public const int OutputValueSize = 20;

    public const int ChangelogValueSize = 16;

    public static byte[] Key(int key) => Encoding.UTF8.GetBytes("key-" + key.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));

    public static byte[] Amount(long amount)
    {
        byte[] value = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(value, amount);
        return value;
    }

    public static long ReadAmount(ReadOnlySpan<byte> value, string topic, int partition, long offset) =>
        value.Length == 8
            ? BinaryPrimitives.ReadInt64BigEndian(value)
            : throw new FormatException($"Input record {topic}-{partition}@{offset} has a {value.Length}-byte value; expected an 8-byte amount.");

    public static void WriteOutput(Span<byte> destination, int sourcePartition, long sourceOffset, long total)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, sourcePartition);
        BinaryPrimitives.WriteInt64BigEndian(destination[4..], sourceOffset);
        BinaryPrimitives.WriteInt64BigEndian(destination[12..], total);
    }

    public static (int SourcePartition, long SourceOffset, long Total) ReadOutput(ReadOnlySpan<byte> value) =>
        value.Length == OutputValueSize
            ? (BinaryPrimitives.ReadInt32BigEndian(value), BinaryPrimitives.ReadInt64BigEndian(value[4..]), BinaryPrimitives.ReadInt64BigEndian(value[12..]))
            : throw new FormatException($"Output value has {value.Length} bytes; expected {OutputValueSize}.");

    public static void WriteChangelog(Span<byte> destination, long sourceOffset, long total)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, sourceOffset);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], total);
    }

    public static (long SourceOffset, long Total) ReadChangelog(ReadOnlySpan<byte> value) =>
        value.Length == ChangelogValueSize
            ? (BinaryPrimitives.ReadInt64BigEndian(value), BinaryPrimitives.ReadInt64BigEndian(value[8..]))
            : throw new FormatException($"Changelog value has {value.Length} bytes; expected {ChangelogValueSize}.");
}
