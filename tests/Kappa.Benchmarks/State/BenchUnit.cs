using Kappa.Avro;

namespace Kappa.Benchmarks.State;

/// <summary>A struct input record (record BenchUnit { long sequence; long amount; }) with a hand-written codec.</summary>
public struct BenchUnit : IAvroRecord<BenchUnit>
{
    public long Sequence;

    public long Amount;

    public static string AvroSchemaJson => """{"type":"record","name":"BenchUnit","fields":[{"name":"sequence","type":"long"},{"name":"amount","type":"long"}]}""";

    public static string AvroCanonicalSchema => AvroSchemaJson;

    public static long AvroFingerprint => 11;

    public static BenchUnit ReadAvro(ref AvroReader reader) => new() { Sequence = reader.ReadLong(), Amount = reader.ReadLong() };

    public static void WriteAvro(ref AvroWriter writer, in BenchUnit value)
    {
        writer.WriteLong(value.Sequence);
        writer.WriteLong(value.Amount);
    }
}
