using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kappa.Avro;
using Kappa.Avro.Schemas;

namespace Kappa.Lifecycle;

/// <summary>
/// Decodes an Avro value with its writer schema into a canonical JSON form that says what the value is, not how a
/// schema laid it out, so that values written with different schemas compare equal when they mean the same:
/// record fields by name in ordinal order, null fields left out (an absent field and a null one are the same value),
/// map entries by key, union values without their branch, enums as their symbol, int and long as integers, float
/// and double as their shortest round-trip number, bytes, fixed and string as Avro's JSON encoding (string and bytes
/// are interchangeable in Avro), and the logical types by what they denote: decimals as numbers (so the scale counts),
/// timestamps and times in ISO 8601 with their full precision (millis and micros of the same instant are equal),
/// dates as <c>yyyy-MM-dd</c>, uuids in lowercase 8-4-4-4-12 form, durations as months, days and milliseconds.
/// </summary>
internal static class AvroValueJson
{
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    // Readable samples: non-ASCII text as it is (the form is compared, never embedded in HTML). Arrays, maps and unions
    // nest between the (at most AvroReader.MaxDepth) records, deeper than System.Text.Json's default of 64.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 1024 };

    /// <summary>The canonical JSON of the value <paramref name="data"/> holds, written with <paramref name="schema"/>; throws <see cref="AvroDecodeException"/> for bad bytes.</summary>
    public static string Canonical(AvroSchema schema, ReadOnlySpan<byte> data, string typeName)
    {
        var reader = new AvroReader(data, typeName);
        JsonNode? node = Read(ref reader, schema);
        reader.EnsureEnd();
        return node?.ToJsonString(Json) ?? "null";
    }

    private static JsonNode? Read(ref AvroReader reader, AvroSchema schema)
    {
        switch (schema)
        {
            case AvroRecordSchema record:
                return Record(ref reader, record);
            case AvroEnumSchema e:
                return JsonValue.Create(e.Symbols[reader.ReadEnumIndex(e.Symbols.Count)]);
            case AvroUnionSchema union:
                return Read(ref reader, union.Branches[reader.ReadUnionIndex(union.Branches.Count)]);
            case AvroArraySchema array:
                return Array(ref reader, array);
            case AvroMapSchema map:
                return Map(ref reader, map);
            case AvroFixedSchema fixedSchema:
                return Fixed(fixedSchema, reader.ReadFixedSpan(fixedSchema.Size));
            default:
                return Primitive(ref reader, schema);
        }
    }

    private static JsonObject Record(ref AvroReader reader, AvroRecordSchema record)
    {
        reader.EnterRecord();
        string? outer = reader.Field;
        var fields = new List<KeyValuePair<string, JsonNode?>>(record.Fields.Count);
        foreach (AvroField field in record.Fields)
        {
            reader.Field = field.Name;
            JsonNode? value = Read(ref reader, field.Schema);
            if (value is not null)
            {
                fields.Add(new(field.Name, value));
            }
        }

        reader.Field = outer;
        reader.ExitRecord();
        fields.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new JsonObject(fields);
    }

    private static JsonArray Array(ref AvroReader reader, AvroArraySchema array)
    {
        var items = new JsonArray();
        int count;
        while ((count = reader.ReadBlockCount(MinSize(array.Items), items.Count)) != 0)
        {
            for (int i = 0; i < count; i++)
            {
                items.Add(Read(ref reader, array.Items));
            }
        }

        return items;
    }

    private static JsonObject Map(ref AvroReader reader, AvroMapSchema map)
    {
        // A later entry of the same key wins, as when the map is read into a dictionary.
        var entries = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        int total = 0;
        int count;
        while ((count = reader.ReadBlockCount(1, total)) != 0)
        {
            total += count;
            for (int i = 0; i < count; i++)
            {
                string key = reader.ReadString();
                entries[key] = Read(ref reader, map.Values);
            }
        }

        return new JsonObject(entries);
    }

    private static JsonNode? Primitive(ref AvroReader reader, AvroSchema schema)
    {
        string? logical = schema.LogicalType;
        switch (schema.Kind)
        {
            case AvroSchemaKind.Null:
                return null;
            case AvroSchemaKind.Boolean:
                return JsonValue.Create(reader.ReadBoolean());
            case AvroSchemaKind.Int:
                int i = reader.ReadInt();
                return logical switch
                {
                    "date" => Date(i),
                    "time-millis" => Time(i, 1_000_000L),
                    _ => JsonValue.Create(i),
                };
            case AvroSchemaKind.Long:
                long l = reader.ReadLong();
                return logical switch
                {
                    "time-micros" => Time(l, 1_000L),
                    "timestamp-millis" => Timestamp(l, 1_000, utc: true),
                    "timestamp-micros" => Timestamp(l, 1_000_000, utc: true),
                    "timestamp-nanos" => Timestamp(l, 1_000_000_000, utc: true),
                    "local-timestamp-millis" => Timestamp(l, 1_000, utc: false),
                    "local-timestamp-micros" => Timestamp(l, 1_000_000, utc: false),
                    "local-timestamp-nanos" => Timestamp(l, 1_000_000_000, utc: false),
                    _ => JsonValue.Create(l),
                };
            case AvroSchemaKind.Float:
                float f = reader.ReadFloat();
                return float.IsFinite(f) ? JsonValue.Create(f) : JsonValue.Create(f.ToString(CultureInfo.InvariantCulture));
            case AvroSchemaKind.Double:
                double d = reader.ReadDouble();
                return double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture));
            case AvroSchemaKind.Bytes:
                ReadOnlySpan<byte> bytes = reader.ReadBytesSpan();
                return logical == "decimal" ? Decimal(bytes, schema.DecimalScale ?? 0) : JsonValue.Create(Latin1(bytes));
            default:
                ReadOnlySpan<byte> utf8 = reader.ReadBytesSpan();
                string text = System.Text.Encoding.UTF8.GetString(utf8);
                return logical == "uuid" && Guid.TryParse(text, out Guid uuid) ? JsonValue.Create(uuid.ToString("D")) : JsonValue.Create(text);
        }
    }

    private static JsonNode Fixed(AvroFixedSchema schema, ReadOnlySpan<byte> bytes) => schema.LogicalType switch
    {
        "decimal" => Decimal(bytes, schema.DecimalScale ?? 0),
        "uuid" when bytes.Length == 16 => JsonValue.Create(new Guid(bytes, bigEndian: true).ToString("D")),
        "duration" when bytes.Length == 12 => new JsonObject
        {
            ["days"] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
            ["milliseconds"] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]),
            ["months"] = BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        },
        _ => JsonValue.Create(Latin1(bytes)),
    };

    /// <summary>Avro's JSON encoding of bytes: one code point 0-255 per byte.</summary>
    private static string Latin1(ReadOnlySpan<byte> bytes) => System.Text.Encoding.Latin1.GetString(bytes);

    /// <summary>The number the unscaled two's-complement big-endian integer and the scale denote, without trailing zeros.</summary>
    private static JsonNode Decimal(ReadOnlySpan<byte> bytes, int scale)
    {
        var unscaled = new BigInteger(bytes, isUnsigned: false, isBigEndian: true);
        string digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            digits = digits.PadLeft(scale + 1, '0');
            string whole = digits[..^scale];
            string fraction = digits[^scale..].TrimEnd('0');
            digits = fraction.Length == 0 ? whole : whole + "." + fraction;
        }

        return JsonNode.Parse(unscaled.Sign < 0 ? "-" + digits : digits)!;
    }

    private static JsonNode Date(int days)
    {
        long dayNumber = days + (long)DateOnly.FromDateTime(Epoch).DayNumber;
        return dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber
            ? JsonValue.Create(days)
            : JsonValue.Create(DateOnly.FromDayNumber((int)dayNumber).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>A time of day <paramref name="value"/> units of <paramref name="nanosPerUnit"/> ns after midnight (as a number in nanoseconds when it is not within a day).</summary>
    private static JsonNode Time(long value, long nanosPerUnit)
    {
        const long NanosPerDay = 86_400_000_000_000L;
        if (value < 0 || value >= NanosPerDay / nanosPerUnit)
        {
            return JsonValue.Create(value.ToString(CultureInfo.InvariantCulture) + (nanosPerUnit == 1_000L ? " us" : " ms") + " since midnight");
        }

        long nanos = value * nanosPerUnit;
        var time = new TimeOnly(nanos / 100);
        return JsonValue.Create(time.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + Fraction(nanos % 1_000_000_000L));
    }

    /// <summary>An instant (or local date-time) <paramref name="value"/> units of 1/<paramref name="perSecond"/> s after the epoch, to the nanosecond.</summary>
    private static JsonNode Timestamp(long value, long perSecond, bool utc)
    {
        long seconds = Math.DivRem(value, perSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += perSecond;
        }

        long nanos = rest * (1_000_000_000L / perSecond);
        if (seconds < (DateTime.MinValue - Epoch).TotalSeconds || seconds > (DateTime.MaxValue - Epoch).TotalSeconds - 1)
        {
            return JsonValue.Create(value.ToString(CultureInfo.InvariantCulture) + (perSecond switch { 1_000 => " ms", 1_000_000 => " us", _ => " ns" }) + " since the epoch");
        }

        DateTime at = Epoch.AddSeconds(seconds);
        return JsonValue.Create(at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + Fraction(nanos) + (utc ? "Z" : string.Empty));
    }

    private static string Fraction(long nanos) =>
        nanos == 0 ? string.Empty : "." + nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');

    /// <summary>The fewest bytes a value of <paramref name="schema"/> takes (0 or 1), bounding array block counts.</summary>
    private static int MinSize(AvroSchema schema) => schema switch
    {
        AvroPrimitiveSchema { Kind: AvroSchemaKind.Null } => 0,
        AvroFixedSchema f => Math.Min(f.Size, 1),
        AvroRecordSchema => 0, // a record may be empty; the reader's zero-size limit bounds the count
        _ => 1,
    };
}
