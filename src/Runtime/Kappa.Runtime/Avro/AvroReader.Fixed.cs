using System.Buffers.Binary;

namespace Kappa.Avro;

/// <summary>Fixed types and the logical types added with Avro 1.10-1.12: time, local timestamps, uuid on fixed, duration.</summary>
public ref partial struct AvroReader
{
    private const long TicksPerDay = 864_000_000_000L;

    /// <summary>Reads a <c>fixed(size)</c> into a new array.</summary>
    public byte[] ReadFixed(int size) => ReadFixedSpan(size).ToArray();

    /// <summary>Reads the <c>uuid</c> logical type on <c>fixed(16)</c>: the 16 bytes in RFC 4122 (big-endian) order.</summary>
    public Guid ReadUuidFixed() => new(ReadFixedSpan(16), bigEndian: true);

    /// <summary>Reads the <c>duration</c> logical type: <c>fixed(12)</c> holding months, days and milliseconds (unsigned, little-endian).</summary>
    public AvroDuration ReadDuration()
    {
        ReadOnlySpan<byte> bytes = ReadFixedSpan(12);
        return new AvroDuration(
            BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]));
    }

    /// <summary>Reads <c>time-millis</c> (an int: milliseconds after midnight, 0 to 86 399 999).</summary>
    public TimeOnly ReadTimeMillis()
    {
        int start = _position;
        int millis = ReadInt();
        if (millis < 0 || millis >= 86_400_000)
        {
            throw Fail(start, $"time-millis value {millis} is not a time of day (0 to 86399999 milliseconds after midnight)");
        }

        return new TimeOnly(millis * 10_000L);
    }

    /// <summary>Reads <c>time-micros</c> (a long: microseconds after midnight, 0 to 86 399 999 999).</summary>
    public TimeOnly ReadTimeMicros()
    {
        int start = _position;
        long micros = ReadLong();
        if (micros < 0 || micros >= 86_400_000_000L)
        {
            throw Fail(start, $"time-micros value {micros} is not a time of day (0 to 86399999999 microseconds after midnight)");
        }

        return new TimeOnly(micros * 10);
    }

    /// <summary>Reads <c>local-timestamp-millis</c> as a <see cref="DateTime"/> of kind <see cref="DateTimeKind.Unspecified"/>.</summary>
    public DateTime ReadLocalTimestampMillis() => new(ReadTimestampTicks(10_000, "local-timestamp-millis"), DateTimeKind.Unspecified);

    /// <summary>Reads <c>local-timestamp-micros</c> as a <see cref="DateTime"/> of kind <see cref="DateTimeKind.Unspecified"/>.</summary>
    public DateTime ReadLocalTimestampMicros() => new(ReadTimestampTicks(10, "local-timestamp-micros"), DateTimeKind.Unspecified);
}
