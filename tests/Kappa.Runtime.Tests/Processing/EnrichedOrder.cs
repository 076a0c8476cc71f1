using Kappa.Avro;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>An output record carrying what the handler saw in its <see cref="RecordContext"/>.</summary>
public sealed class EnrichedOrder : IAvroRecord<EnrichedOrder>
{
    public string Id { get; init; } = string.Empty;

    public string Region { get; init; } = string.Empty;

    public long AmountCents { get; init; }

    public long SourceTimestampMs { get; init; }

    public int SourcePartition { get; init; }

    public long SourceOffset { get; init; }

    public static string AvroSchemaJson => """{"type":"record","name":"EnrichedOrder","fields":[{"name":"id","type":"string"},{"name":"region","type":"string"},{"name":"amountCents","type":"long"},{"name":"sourceTimestampMs","type":"long"},{"name":"sourcePartition","type":"int"},{"name":"sourceOffset","type":"long"}]}""";

    public static string AvroCanonicalSchema => AvroSchemaJson;

    public static long AvroFingerprint => 2;

    public static EnrichedOrder ReadAvro(ref AvroReader reader) => new()
    {
        Id = reader.ReadString(),
        Region = reader.ReadString(),
        AmountCents = reader.ReadLong(),
        SourceTimestampMs = reader.ReadLong(),
        SourcePartition = reader.ReadInt(),
        SourceOffset = reader.ReadLong(),
    };

    public static void WriteAvro(ref AvroWriter writer, in EnrichedOrder value)
    {
        writer.WriteString(value.Id);
        writer.WriteString(value.Region);
        writer.WriteLong(value.AmountCents);
        writer.WriteLong(value.SourceTimestampMs);
        writer.WriteInt(value.SourcePartition);
        writer.WriteLong(value.SourceOffset);
    }
}
