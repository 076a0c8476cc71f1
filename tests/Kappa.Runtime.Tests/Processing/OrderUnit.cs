using Kappa.Avro;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>A struct record (record OrderUnit { long sequence; long sign; }) to exercise value-type outputs.</summary>
public struct OrderUnit : IAvroRecord<OrderUnit>
{
    public long Sequence;

    public long Sign;

    public static string AvroSchemaJson => """{"type":"record","name":"OrderUnit","fields":[{"name":"sequence","type":"long"},{"name":"sign","type":"long"}]}""";

    public static string AvroCanonicalSchema => AvroSchemaJson;

    public static long AvroFingerprint => 3;

    public static OrderUnit ReadAvro(ref AvroReader reader) => new() { Sequence = reader.ReadLong(), Sign = reader.ReadLong() };

    public static void WriteAvro(ref AvroWriter writer, in OrderUnit value)
    {
        writer.WriteLong(value.Sequence);
        writer.WriteLong(value.Sign);
    }
}
