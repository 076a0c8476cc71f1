using System.Buffers.Binary;

namespace Kappa.Avro;

/// <summary>Fixed types and the logical types added with Avro 1.10-1.12: time, local timestamps, uuid on fixed, duration.</summary>
public ref partial struct AvroWriter
{
    /// <summary>Writes the <c>uuid</c> logical type on <c>fixed(16)</c>: the 16 bytes in RFC 4122 (big-endian) order, as Java's UUID.</summary>
    public void WriteUuidFixed(Guid value)
    {
        Ensure(16);
        value.TryWriteBytes(_span.Slice(_buffered, 16), bigEndian: true, out _);
        _buffered += 16;
    }

    /// <summary>Writes the <c>duration</c> logical type: months, days and milliseconds as unsigned little-endian 32-bit integers.</summary>
    public void WriteDuration(AvroDuration value)
    {
        Ensure(12);
        Span<byte> span = _span.Slice(_buffered, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(span, value.Months);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], value.Days);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], value.Milliseconds);
        _buffered += 12;
    }

    /// <summary>Writes <c>time-millis</c>: milliseconds after midnight; the sub-millisecond part is dropped.</summary>
    public void WriteTimeMillis(TimeOnly value) => WriteInt((int)(value.Ticks / 10_000));

    /// <summary>Writes <c>time-micros</c>: microseconds after midnight; the 100 ns remainder is dropped.</summary>
    public void WriteTimeMicros(TimeOnly value) => WriteLong(value.Ticks / 10);

    /// <summary>Writes <c>local-timestamp-millis</c>: the wall-clock ticks as they are, whatever the Kind (floor to milliseconds).</summary>
    public void WriteLocalTimestampMillis(DateTime value) => WriteLong(FloorDiv(value.Ticks - UnixEpochTicks, 10_000));

    /// <summary>Writes <c>local-timestamp-micros</c>: the wall-clock ticks as they are, whatever the Kind (floor to microseconds).</summary>
    public void WriteLocalTimestampMicros(DateTime value) => WriteLong(FloorDiv(value.Ticks - UnixEpochTicks, 10));
}
