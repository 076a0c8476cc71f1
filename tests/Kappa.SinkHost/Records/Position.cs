using Kappa.Sinks;
using System.Text.Json;
using Kappa.Avro;

namespace Kappa.SinkHost.Records;

/// <summary>
/// An upsert table over every column type, with ITableRecord and IAvroRecord written by hand (as the generator will emit
/// them): record Position { long account; bool active; int count; float ratio; double score; decimal(12,2) amount;
/// string name; string? note; bytes? payload; uuid ref_id; timestamp-micros updated_at; array&lt;string&gt; tags }.
/// Key: account. Index: (name, count).
/// </summary>
public sealed record Position : ITableRecord<Position>, IAvroRecord<Position>
{
    public long Account { get; init; }

    public bool Active { get; init; }

    public int Count { get; init; }

    public float Ratio { get; init; }

    public double Score { get; init; }

    public decimal Amount { get; init; }

    public string Name { get; init; } = string.Empty;

    public string? Note { get; init; }

    public byte[]? Payload { get; init; }

    public Guid RefId { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public static TableSchema TableSchema { get; } = new(
        TableMode.Upsert,
        [
            new TableColumn("account", TableColumnType.Int64, IsKey: true),
            new TableColumn("active", TableColumnType.Boolean),
            new TableColumn("count", TableColumnType.Int32),
            new TableColumn("ratio", TableColumnType.Float32),
            new TableColumn("score", TableColumnType.Float64),
            new TableColumn("amount", TableColumnType.Decimal, Precision: 12, Scale: 2),
            new TableColumn("name", TableColumnType.Text),
            new TableColumn("note", TableColumnType.Text, Nullable: true),
            new TableColumn("payload", TableColumnType.Bytes, Nullable: true),
            new TableColumn("ref_id", TableColumnType.Uuid),
            new TableColumn("updated_at", TableColumnType.TimestampTz),
            new TableColumn("tags", TableColumnType.Json),
        ],
        ["account"],
        [new TableIndex(["name", "count"])]);

    public static void WriteRow<TWriter>(in Position value, ref TWriter writer)
        where TWriter : struct, IRowWriter
    {
        writer.WriteInt64(value.Account);
        writer.WriteBoolean(value.Active);
        writer.WriteInt32(value.Count);
        writer.WriteFloat32(value.Ratio);
        writer.WriteFloat64(value.Score);
        writer.WriteDecimal(value.Amount);
        writer.WriteText(value.Name);
        if (value.Note is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteText(value.Note);
        }

        if (value.Payload is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteBytes(value.Payload);
        }

        writer.WriteUuid(value.RefId);
        writer.WriteTimestamp(value.UpdatedAt);
        Utf8JsonWriter json = writer.BeginJson();
        json.WriteStartArray();
        foreach (string tag in value.Tags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
        writer.EndJson();
    }

    public static string AvroSchemaJson => """{"type":"record","name":"Position","fields":[{"name":"account","type":"long"},{"name":"active","type":"boolean"},{"name":"count","type":"int"},{"name":"ratio","type":"float"},{"name":"score","type":"double"},{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"name","type":"string"},{"name":"note","type":["null","string"]},{"name":"payload","type":["null","bytes"]},{"name":"ref_id","type":{"type":"string","logicalType":"uuid"}},{"name":"updated_at","type":{"type":"long","logicalType":"timestamp-micros"}},{"name":"tags","type":{"type":"array","items":"string"}}]}""";

    public static string AvroCanonicalSchema => AvroSchemaJson;

    public static long AvroFingerprint => 11;

    public static Position ReadAvro(ref AvroReader reader)
    {
        long account = reader.ReadLong();
        bool active = reader.ReadBoolean();
        int count = reader.ReadInt();
        float ratio = reader.ReadFloat();
        double score = reader.ReadDouble();
        decimal amount = reader.ReadDecimal(2);
        string name = reader.ReadString();
        string? note = reader.ReadUnionIndex(2) == 0 ? null : reader.ReadString();
        byte[]? payload = reader.ReadUnionIndex(2) == 0 ? null : reader.ReadBytes();
        Guid refId = reader.ReadUuid();
        DateTimeOffset updatedAt = reader.ReadTimestampMicros();
        var tags = new List<string>();
        for (int n = reader.ReadBlockCount(1, 0); n != 0; n = reader.ReadBlockCount(1, tags.Count))
        {
            for (int i = 0; i < n; i++)
            {
                tags.Add(reader.ReadString());
            }
        }

        return new Position
        {
            Account = account, Active = active, Count = count, Ratio = ratio, Score = score, Amount = amount, Name = name,
            Note = note, Payload = payload, RefId = refId, UpdatedAt = updatedAt, Tags = tags,
        };
    }

    public static void WriteAvro(ref AvroWriter writer, in Position value)
    {
        writer.WriteLong(value.Account);
        writer.WriteBoolean(value.Active);
        writer.WriteInt(value.Count);
        writer.WriteFloat(value.Ratio);
        writer.WriteDouble(value.Score);
        if (!writer.TryWriteDecimal(value.Amount, 12, 2))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Amount, "amount does not fit decimal(12,2)");
        }

        writer.WriteString(value.Name);
        writer.WriteLong(value.Note is null ? 0 : 1);
        if (value.Note is not null)
        {
            writer.WriteString(value.Note);
        }

        writer.WriteLong(value.Payload is null ? 0 : 1);
        if (value.Payload is not null)
        {
            writer.WriteBytes(value.Payload);
        }

        writer.WriteUuid(value.RefId);
        writer.WriteTimestampMicros(value.UpdatedAt);
        if (value.Tags.Count > 0)
        {
            writer.WriteLong(value.Tags.Count);
            foreach (string tag in value.Tags)
            {
                writer.WriteString(tag);
            }
        }

        writer.WriteLong(0);
    }
}
