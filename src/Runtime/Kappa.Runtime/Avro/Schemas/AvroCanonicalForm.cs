using System.Text;
using System.Text.Json;

namespace Kappa.Avro.Schemas;

/// <summary>The spec's Parsing Canonical Form of a parsed schema (full names, no doc/aliases/defaults/logical types).</summary>
public static class AvroCanonicalForm
{
    public static string Of(AvroSchema schema)
    {
        var sb = new StringBuilder();
        Write(sb, schema, new HashSet<string>(StringComparer.Ordinal));
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, AvroSchema schema, HashSet<string> defined)
    {
        switch (schema)
        {
            case AvroPrimitiveSchema p:
                sb.Append('"').Append(AvroSchemaParser.PrimitiveName(p.Kind)).Append('"');
                break;
            case AvroNamedSchema named when !defined.Add(named.FullName):
                sb.Append(JsonSerializer.Serialize(named.FullName));
                break;
            case AvroRecordSchema record:
                sb.Append("{\"name\":").Append(JsonSerializer.Serialize(record.FullName)).Append(",\"type\":\"record\",\"fields\":[");
                for (int i = 0; i < record.Fields.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    sb.Append("{\"name\":").Append(JsonSerializer.Serialize(record.Fields[i].Name)).Append(",\"type\":");
                    Write(sb, record.Fields[i].Schema, defined);
                    sb.Append('}');
                }

                sb.Append("]}");
                break;
            case AvroEnumSchema e:
                sb.Append("{\"name\":").Append(JsonSerializer.Serialize(e.FullName)).Append(",\"type\":\"enum\",\"symbols\":[")
                    .Append(string.Join(",", e.Symbols.Select(s => JsonSerializer.Serialize(s)))).Append("]}");
                break;
            case AvroFixedSchema f:
                sb.Append("{\"name\":").Append(JsonSerializer.Serialize(f.FullName)).Append(",\"type\":\"fixed\",\"size\":").Append(f.Size).Append('}');
                break;
            case AvroArraySchema a:
                sb.Append("{\"type\":\"array\",\"items\":");
                Write(sb, a.Items, defined);
                sb.Append('}');
                break;
            case AvroMapSchema m:
                sb.Append("{\"type\":\"map\",\"values\":");
                Write(sb, m.Values, defined);
                sb.Append('}');
                break;
            case AvroUnionSchema u:
                sb.Append('[');
                for (int i = 0; i < u.Branches.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Write(sb, u.Branches[i], defined);
                }

                sb.Append(']');
                break;
        }
    }
}
