using System.Buffers;
using System.Buffers.Binary;

namespace Kappa.Avro;

/// <summary>
/// Confluent Schema Registry framing: magic byte 0, the schema id as a 4-byte big-endian integer, then the Avro body.
/// </summary>
public static class ConfluentWireFormat
{
    /// <summary>The magic byte that starts every framed message.</summary>
    public const byte MagicByte = 0;

    /// <summary>Bytes before the body: magic byte plus schema id.</summary>
    public const int HeaderLength = 5;

    /// <summary>Writes the 5-byte header for <paramref name="schemaId"/>.</summary>
    public static void WriteHeader(int schemaId, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> span = output.GetSpan(HeaderLength);
        span[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], schemaId);
        output.Advance(HeaderLength);
    }

    /// <summary>Writes header and body of <paramref name="value"/>.</summary>
    public static void Serialize<T>(in T value, int schemaId, IBufferWriter<byte> output)
        where T : IAvroRecord<T>
    {
        WriteHeader(schemaId, output);
        AvroSerializer.Serialize(value, output);
    }

    /// <summary>Splits a framed message into schema id and body; throws <see cref="ConfluentWireFormatException"/> on a bad frame.</summary>
    public static int ReadHeader(ReadOnlySpan<byte> message, out ReadOnlySpan<byte> body)
    {
        if (message.Length < HeaderLength)
        {
            throw new ConfluentWireFormatException(
                $"Confluent wire format needs at least {HeaderLength} bytes (magic byte and 4-byte schema id), the message has {message.Length}.");
        }

        if (message[0] != MagicByte)
        {
            throw new ConfluentWireFormatException(
                $"Confluent wire format starts with magic byte 0, found {message[0]} (the message is not framed, or framed by another format).");
        }

        body = message[HeaderLength..];
        return BinaryPrimitives.ReadInt32BigEndian(message[1..]);
    }

    /// <summary>Decodes a framed message, returning the schema id it carries.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> message, out int schemaId)
        where T : IAvroRecord<T>
    {
        schemaId = ReadHeader(message, out ReadOnlySpan<byte> body);
        return AvroSerializer.Deserialize<T>(body);
    }
}
