using System.Buffers;

namespace Kappa.Avro;

/// <summary>Entry points over generated codecs: whole-message encode and decode, plain or with Confluent framing.</summary>
public static class AvroSerializer
{
    /// <summary>Decodes one value that must fill <paramref name="data"/> exactly.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> data)
        where T : IAvroRecord<T>
    {
        var reader = new AvroReader(data, typeof(T).Name);
        T value = T.ReadAvro(ref reader);
        reader.EnsureEnd();
        return value;
    }

    /// <summary>Encodes one value into <paramref name="output"/>.</summary>
    public static void Serialize<T>(in T value, IBufferWriter<byte> output)
        where T : IAvroRecord<T>
    {
        var writer = new AvroWriter(output);
        T.WriteAvro(ref writer, value);
        writer.Flush();
    }

    /// <summary>Encodes one value into a new array (convenience; the pooled <see cref="Serialize{T}(in T, IBufferWriter{byte})"/> is the fast path).</summary>
    public static byte[] SerializeToArray<T>(in T value)
        where T : IAvroRecord<T>
    {
        var output = new ArrayBufferWriter<byte>(128);
        Serialize(value, output);
        return output.WrittenSpan.ToArray();
    }
}
