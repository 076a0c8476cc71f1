using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Kappa.Avro.Schemas;

/// <summary>Encodes a field's JSON <c>default</c> in the binary encoding of its schema (defaults of every type, per the spec).</summary>
internal static class AvroDefaultEncoder
{
    public static byte[] Encode(JsonElement value, AvroSchema schema)
    {
        var output = new ArrayBufferWriter<byte>(16);
        var writer = new AvroWriter(output);
        Write(ref writer, value, schema);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static AvroSchemaException Bad(JsonElement value, AvroSchema schema) =>
        new($"default {value.GetRawText()} is not a valid {schema.Describe()} value");

    private static void Write(ref AvroWriter writer, JsonElement value, AvroSchema schema)
    {
        switch (schema)
        {
            case AvroUnionSchema union:
            {
                int branch = AvroDefaultBranch.IndexOf(value, union);
                if (branch < 0)
                {
                    throw Bad(value, schema);
                }

                writer.WriteLong(branch);
                Write(ref writer, value, union.Branches[branch]);
                return;
            }

            case AvroRecordSchema record:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    throw Bad(value, schema);
                }

                foreach (AvroField field in record.Fields)
                {
                    if (value.TryGetProperty(field.Name, out JsonElement fieldValue))
                    {
                        Write(ref writer, fieldValue, field.Schema);
                    }
                    else if (field.Default is JsonElement fieldDefault)
                    {
                        Write(ref writer, fieldDefault, field.Schema);
                    }
                    else
                    {
                        throw new AvroSchemaException($"default {value.GetRawText()} has no value for field '{field.Name}' of {record.FullName}");
                    }
                }

                break;
            case AvroEnumSchema e:
                int index = value.ValueKind == JsonValueKind.String ? e.IndexOf(value.GetString()!) : -1;
                writer.WriteInt(index >= 0 ? index : throw Bad(value, schema));
                break;
            case AvroFixedSchema f:
                byte[] fixedBytes = Latin1(value, schema);
                writer.WriteFixed(fixedBytes.Length == f.Size ? fixedBytes : throw Bad(value, schema));
                break;
            case AvroArraySchema a:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    throw Bad(value, schema);
                }

                int count = value.GetArrayLength();
                if (count > 0)
                {
                    writer.WriteLong(count);
                    foreach (JsonElement item in value.EnumerateArray())
                    {
                        Write(ref writer, item, a.Items);
                    }
                }

                writer.WriteLong(0);
                break;
            case AvroMapSchema m:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    throw Bad(value, schema);
                }

                int entries = value.EnumerateObject().Count();
                if (entries > 0)
                {
                    writer.WriteLong(entries);
                    foreach (JsonProperty entry in value.EnumerateObject())
                    {
                        writer.WriteString(entry.Name);
                        Write(ref writer, entry.Value, m.Values);
                    }
                }

                writer.WriteLong(0);
                break;
            default:
                WritePrimitive(ref writer, value, schema);
                break;
        }
    }

    private static void WritePrimitive(ref AvroWriter writer, JsonElement value, AvroSchema schema)
    {
        switch (schema.Kind)
        {
            case AvroSchemaKind.Null:
                if (value.ValueKind != JsonValueKind.Null)
                {
                    throw Bad(value, schema);
                }

                break;
            case AvroSchemaKind.Boolean:
                writer.WriteBoolean(value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Bad(value, schema),
                });
                break;
            case AvroSchemaKind.Int:
                writer.WriteInt(value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i) ? i : throw Bad(value, schema));
                break;
            case AvroSchemaKind.Long:
                writer.WriteLong(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long l) ? l : throw Bad(value, schema));
                break;
            case AvroSchemaKind.Float:
                writer.WriteFloat((float)Real(value, schema));
                break;
            case AvroSchemaKind.Double:
                writer.WriteDouble(Real(value, schema));
                break;
            case AvroSchemaKind.String:
                writer.WriteString(value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad(value, schema));
                break;
            default: // bytes
                writer.WriteBytes(Latin1(value, schema));
                break;
        }
    }

    private static double Real(JsonElement value, AvroSchema schema) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when value.GetString() == "NaN" => double.NaN,
        JsonValueKind.String when value.GetString() == "Infinity" => double.PositiveInfinity,
        JsonValueKind.String when value.GetString() == "-Infinity" => double.NegativeInfinity,
        _ => throw Bad(value, schema),
    };

    /// <summary>Bytes and fixed defaults are JSON strings whose code points 0-255 are the bytes (the spec's rule).</summary>
    private static byte[] Latin1(JsonElement value, AvroSchema schema)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Bad(value, schema);
        }

        string s = value.GetString()!;
        foreach (char c in s)
        {
            if (c > 255)
            {
                throw Bad(value, schema);
            }
        }

        return Encoding.Latin1.GetBytes(s);
    }
}
