using Kappa.Avro;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>An input record with a hand-written Avro codec (record Order { string id; long amount; string region; }).</summary>
public sealed class Order : IAvroRecord<Order>
{
    public string Id { get; init; } = string.Empty;

    public long Amount { get; init; }

    public string Region { get; init; } = string.Empty;

    public static string AvroSchemaJson => """{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"amount","type":"long"},{"name":"region","type":"string"}]}""";

    public static string AvroCanonicalSchema => AvroSchemaJson;

    public static long AvroFingerprint => 1;

    public static Order ReadAvro(ref AvroReader reader) => new()
    {
        Id = reader.ReadString(),
        Amount = reader.ReadLong(),
        Region = reader.ReadString(),
    };

    public static void WriteAvro(ref AvroWriter writer, in Order value)
    {
        writer.WriteString(value.Id);
        writer.WriteLong(value.Amount);
        writer.WriteString(value.Region);
    }
}
