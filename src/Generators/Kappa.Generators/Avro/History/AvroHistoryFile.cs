using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using Kappa.Avro.Schemas;
using Kappa.Generators.Avro.History.Model;
using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.History;

/// <summary>
/// Reads and writes kappa-avro-history.json: every schema each [AvroRecord] type of a project has had (docs/avro.md,
/// "Schema history"). Written so that a review sees one line per record field: records in ordinal type order, schemas
/// oldest first, each top-level field of a schema on its own line.
/// </summary>
internal static class AvroHistoryFile
{
    public const string FileName = "kappa-avro-history.json";
    public const int FormatVersion = 1;

    public static AvroHistorySpec Parse(string path, string? text)
    {
        if (text is null)
        {
            return new AvroHistorySpec(path, EquatableArray<AvroHistoryTypeSpec>.Empty, "the file could not be read");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            JsonElement root = Expect(document.RootElement, JsonValueKind.Object, "the document");
            long format = Get(root, "version", "the document", JsonValueKind.Number).GetInt64();
            if (format != FormatVersion)
            {
                throw new FormatException($"history file format version {format} is not supported (expected {FormatVersion})");
            }

            var types = new List<AvroHistoryTypeSpec>();
            foreach (JsonElement record in Get(root, "records", "the document", JsonValueKind.Array).EnumerateArray())
            {
                Expect(record, JsonValueKind.Object, "a records entry");
                string type = Get(record, "type", "a records entry", JsonValueKind.String).GetString()!;
                if (types.Any(t => t.Type == type))
                {
                    throw new FormatException($"type '{type}' is listed twice");
                }

                var versions = new List<AvroHistoryVersionSpec>();
                foreach (JsonElement entry in Get(record, "schemas", type, JsonValueKind.Array).EnumerateArray())
                {
                    versions.Add(ParseVersion(entry, type, versions.Count + 1));
                }

                if (versions.Count == 0)
                {
                    throw new FormatException($"type '{type}' has no schemas");
                }

                types.Add(new AvroHistoryTypeSpec(type, versions.ToEquatableArray()));
            }

            return new AvroHistorySpec(path, types.ToEquatableArray(), null);
        }
        catch (JsonException e)
        {
            return new AvroHistorySpec(path, EquatableArray<AvroHistoryTypeSpec>.Empty, "not valid JSON: " + e.Message);
        }
        catch (FormatException e)
        {
            return new AvroHistorySpec(path, EquatableArray<AvroHistoryTypeSpec>.Empty, e.Message);
        }
    }

    private static AvroHistoryVersionSpec ParseVersion(JsonElement entry, string type, int expectedVersion)
    {
        string what = $"{type}, schema #{expectedVersion}";
        Expect(entry, JsonValueKind.Object, what);
        int version = Get(entry, "version", what, JsonValueKind.Number).GetInt32();
        if (version != expectedVersion)
        {
            throw new FormatException($"{type}: schema versions must be numbered 1, 2, 3, ... in order; found {version} where {expectedVersion} belongs");
        }

        string written = Get(entry, "fingerprint", what, JsonValueKind.String).GetString()!;
        string schemaJson = Compact(Get(entry, "schema", what, JsonValueKind.Undefined));
        AvroSchema schema;
        try
        {
            schema = AvroSchemaParser.Parse(schemaJson);
        }
        catch (AvroSchemaException e)
        {
            throw new FormatException($"{type} version {version}: the schema is not a valid Avro schema: {e.Message}");
        }

        long fingerprint = global::Kappa.Avro.Crc64Avro.Compute(AvroCanonicalForm.Of(schema));
        if (!string.Equals(written, FormatFingerprint(fingerprint), StringComparison.Ordinal))
        {
            throw new FormatException(
                $"{type} version {version}: the fingerprint \"{written}\" does not match the schema (its CRC-64-AVRO is \"{FormatFingerprint(fingerprint)}\"); recorded schemas must never be edited");
        }

        return new AvroHistoryVersionSpec(version, fingerprint, schemaJson);
    }

    /// <summary>The fingerprint as written in the file: 16 lowercase hex digits of the unsigned 64-bit value.</summary>
    public static string FormatFingerprint(long fingerprint) => unchecked((ulong)fingerprint).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>A whole history file for these types (ordinal order by type name).</summary>
    public static string WriteFile(IEnumerable<AvroHistoryTypeSpec> types)
    {
        var sb = new StringBuilder();
        sb.Append("{\n  \"version\": 1,\n  \"records\": [");
        var ordered = types.OrderBy(t => t.Type, StringComparer.Ordinal).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            sb.Append(i == 0 ? "\n" : ",\n");
            AvroHistoryTypeSpec type = ordered[i];
            sb.Append("    {\n      \"type\": ").Append(Quote(type.Type)).Append(",\n      \"schemas\": [\n");
            for (int v = 0; v < type.Versions.Count; v++)
            {
                AvroHistoryVersionSpec version = type.Versions[v];
                sb.Append("        {\n");
                sb.Append("          \"version\": ").Append(version.Version.ToString(CultureInfo.InvariantCulture)).Append(",\n");
                sb.Append("          \"fingerprint\": ").Append(Quote(FormatFingerprint(version.Fingerprint))).Append(",\n");
                sb.Append("          \"schema\": ");
                AppendSchema(sb, version.SchemaJson, "          ");
                sb.Append('\n');
                sb.Append(v + 1 < type.Versions.Count ? "        },\n" : "        }\n");
            }

            sb.Append("      ]\n    }");
        }

        sb.Append(ordered.Count > 0 ? "\n  ]\n}\n" : "]\n}\n");
        return sb.ToString();
    }

    /// <summary>A record schema with one line per top-level field; anything else compact on one line.</summary>
    private static void AppendSchema(StringBuilder sb, string schemaJson, string indent)
    {
        using JsonDocument document = JsonDocument.Parse(schemaJson);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("fields", out JsonElement fields) || fields.ValueKind != JsonValueKind.Array)
        {
            sb.Append(schemaJson);
            return;
        }

        sb.Append('{');
        bool first = true;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            sb.Append(Quote(property.Name)).Append(':');
            if (property.Name != "fields")
            {
                sb.Append(Compact(property.Value));
                continue;
            }

            sb.Append('[');
            int count = 0;
            foreach (JsonElement field in property.Value.EnumerateArray())
            {
                sb.Append(count++ == 0 ? "\n" : ",\n").Append(indent).Append("  ").Append(Compact(field));
            }

            sb.Append(count > 0 ? "\n" + indent + "]" : "]");
        }

        sb.Append('}');
    }

    /// <summary>The element as compact JSON (no whitespace), as the generator writes schemas.</summary>
    public static string Compact(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Quote(string value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStringValue(value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonElement Get(JsonElement obj, string name, string where, JsonValueKind kind)
    {
        if (!obj.TryGetProperty(name, out JsonElement value))
        {
            throw new FormatException($"'{name}' is missing in {where}");
        }

        return kind == JsonValueKind.Undefined ? value : Expect(value, kind, $"'{name}' in {where}");
    }

    private static JsonElement Expect(JsonElement value, JsonValueKind kind, string what) =>
        value.ValueKind == kind ? value : throw new FormatException($"{what} must be a JSON {Describe(kind)}, found {Describe(value.ValueKind)}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
