using System.Text.Json;

namespace Kappa.Avro.Schemas;

/// <summary>Parses Avro schema JSON (the spec's full syntax: named types, namespaces, references, aliases, defaults).</summary>
public sealed class AvroSchemaParser
{
    private readonly Dictionary<string, AvroNamedSchema> _named = new(StringComparer.Ordinal);

    private AvroSchemaParser()
    {
    }

    /// <summary>Parses <paramref name="json"/>; throws <see cref="AvroSchemaException"/> for anything the spec does not allow.</summary>
    public static AvroSchema Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new AvroSchemaException($"Avro schema is not valid JSON: {e.Message}");
        }

        using (document)
        {
            // Defaults are kept as JsonElements: clone so they outlive the document.
            return new AvroSchemaParser().ParseNode(document.RootElement.Clone(), null);
        }
    }

    internal static string PrimitiveName(AvroSchemaKind kind) => kind switch
    {
        AvroSchemaKind.Null => "null",
        AvroSchemaKind.Boolean => "boolean",
        AvroSchemaKind.Int => "int",
        AvroSchemaKind.Long => "long",
        AvroSchemaKind.Float => "float",
        AvroSchemaKind.Double => "double",
        AvroSchemaKind.Bytes => "bytes",
        AvroSchemaKind.String => "string",
        AvroSchemaKind.Record => "record",
        AvroSchemaKind.Enum => "enum",
        AvroSchemaKind.Array => "array",
        AvroSchemaKind.Map => "map",
        AvroSchemaKind.Union => "union",
        _ => "fixed",
    };

    private static AvroSchemaKind? Primitive(string name) => name switch
    {
        "null" => AvroSchemaKind.Null,
        "boolean" => AvroSchemaKind.Boolean,
        "int" => AvroSchemaKind.Int,
        "long" => AvroSchemaKind.Long,
        "float" => AvroSchemaKind.Float,
        "double" => AvroSchemaKind.Double,
        "bytes" => AvroSchemaKind.Bytes,
        "string" => AvroSchemaKind.String,
        _ => null,
    };

    private AvroSchema ParseNode(JsonElement node, string? ns)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.String:
                return Reference(node.GetString()!, ns);
            case JsonValueKind.Array:
                var branches = new List<AvroSchema>();
                foreach (JsonElement branch in node.EnumerateArray())
                {
                    AvroSchema parsed = ParseNode(branch, ns);
                    if (parsed.Kind == AvroSchemaKind.Union)
                    {
                        throw new AvroSchemaException("A union may not directly contain another union.");
                    }

                    foreach (AvroSchema other in branches)
                    {
                        if (BranchKey(other) == BranchKey(parsed))
                        {
                            throw new AvroSchemaException($"A union may not hold two branches of type {BranchKey(parsed)}.");
                        }
                    }

                    branches.Add(parsed);
                }

                return new AvroUnionSchema(branches);
            case JsonValueKind.Object:
                return ParseObject(node, ns);
            default:
                throw new AvroSchemaException($"Expected a schema (a type name, an object or a union array), found {node.ValueKind}: {node.GetRawText()}");
        }
    }

    private static string BranchKey(AvroSchema schema) => schema is AvroNamedSchema named ? named.FullName : PrimitiveName(schema.Kind);

    private AvroSchema Reference(string name, string? ns)
    {
        if (Primitive(name) is AvroSchemaKind kind)
        {
            return new AvroPrimitiveSchema(kind, null);
        }

        string full = name.Contains('.') || string.IsNullOrEmpty(ns) ? name : ns + "." + name;
        if (_named.TryGetValue(full, out AvroNamedSchema? found) || _named.TryGetValue(name, out found))
        {
            return found;
        }

        throw new AvroSchemaException($"Unknown Avro type '{name}'{(string.IsNullOrEmpty(ns) ? string.Empty : $" (namespace '{ns}')")}.");
    }

    private AvroSchema ParseObject(JsonElement node, string? ns)
    {
        if (!node.TryGetProperty("type", out JsonElement typeElement))
        {
            throw new AvroSchemaException($"Schema object without \"type\": {node.GetRawText()}");
        }

        string? logicalType = node.TryGetProperty("logicalType", out JsonElement lt) && lt.ValueKind == JsonValueKind.String ? lt.GetString() : null;
        if (typeElement.ValueKind != JsonValueKind.String)
        {
            // {"type": {...}} or {"type": [...]}: the type itself is a schema.
            return ParseNode(typeElement, ns);
        }

        string type = typeElement.GetString()!;
        if (Primitive(type) is AvroSchemaKind primitive)
        {
            return new AvroPrimitiveSchema(primitive, logicalType) { DecimalScale = DecimalScale(node, logicalType) };
        }

        switch (type)
        {
            case "record":
            case "error":
                return ParseRecord(node, ns);
            case "enum":
                return ParseEnum(node, ns);
            case "fixed":
                return ParseFixed(node, ns, logicalType);
            case "array":
                return new AvroArraySchema(ParseNode(Required(node, "items", "array"), ns));
            case "map":
                return new AvroMapSchema(ParseNode(Required(node, "values", "map"), ns));
            default:
                return Reference(type, ns);
        }
    }

    /// <summary>The <c>scale</c> of a <c>decimal</c> (0 when absent, as the spec says); null for other logical types.</summary>
    private static int? DecimalScale(JsonElement node, string? logicalType) =>
        logicalType != "decimal" ? null
        : node.TryGetProperty("scale", out JsonElement scale) && scale.ValueKind == JsonValueKind.Number && scale.TryGetInt32(out int value) && value >= 0 ? value : 0;

    private static JsonElement Required(JsonElement node, string property, string what) =>
        node.TryGetProperty(property, out JsonElement value)
            ? value
            : throw new AvroSchemaException($"Avro {what} schema without \"{property}\": {node.GetRawText()}");

    private (string FullName, string? Namespace, IReadOnlyList<string> Aliases) Name(JsonElement node, string? ns, string what)
    {
        JsonElement nameElement = Required(node, "name", what);
        if (nameElement.ValueKind != JsonValueKind.String)
        {
            throw new AvroSchemaException($"Avro {what} \"name\" must be a string: {node.GetRawText()}");
        }

        string name = nameElement.GetString()!;
        string? own = node.TryGetProperty("namespace", out JsonElement nsElement) && nsElement.ValueKind == JsonValueKind.String ? nsElement.GetString() : ns;
        string fullName;
        if (name.Contains('.'))
        {
            fullName = name;
            own = name.Substring(0, name.LastIndexOf('.'));
        }
        else
        {
            fullName = string.IsNullOrEmpty(own) ? name : own + "." + name;
        }

        ValidateName(fullName, what);
        if (_named.ContainsKey(fullName))
        {
            throw new AvroSchemaException($"Avro type '{fullName}' is defined twice.");
        }

        var aliases = new List<string>();
        if (node.TryGetProperty("aliases", out JsonElement aliasElement) && aliasElement.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement alias in aliasElement.EnumerateArray())
            {
                string a = alias.GetString() ?? throw new AvroSchemaException($"Avro alias must be a string in {fullName}.");
                aliases.Add(a.Contains('.') || string.IsNullOrEmpty(own) ? a : own + "." + a);
            }
        }

        return (fullName, own, aliases);
    }

    private static void ValidateName(string fullName, string what)
    {
        foreach (string part in fullName.Split('.'))
        {
            bool ok = part.Length > 0 && (char.IsAsciiLetter(part[0]) || part[0] == '_');
            foreach (char c in part)
            {
                ok &= char.IsAsciiLetterOrDigit(c) || c == '_';
            }

            if (!ok)
            {
                throw new AvroSchemaException($"'{fullName}' is not a valid Avro {what} name.");
            }
        }
    }

    private AvroRecordSchema ParseRecord(JsonElement node, string? ns)
    {
        (string fullName, string? own, IReadOnlyList<string> aliases) = Name(node, ns, "record");
        var record = new AvroRecordSchema(fullName, aliases);
        _named[fullName] = record; // registered before the fields, so recursive references resolve
        JsonElement fieldsElement = Required(node, "fields", "record");
        if (fieldsElement.ValueKind != JsonValueKind.Array)
        {
            throw new AvroSchemaException($"Avro record {fullName}: \"fields\" must be an array.");
        }

        var fields = new List<AvroField>();
        foreach (JsonElement f in fieldsElement.EnumerateArray())
        {
            JsonElement fieldName = Required(f, "name", "field");
            string name = fieldName.GetString() ?? throw new AvroSchemaException($"Avro record {fullName}: field name must be a string.");
            ValidateName(name, "field");
            if (fields.Any(x => x.Name == name))
            {
                throw new AvroSchemaException($"Avro record {fullName} has two fields named '{name}'.");
            }

            var fieldAliases = new List<string>();
            if (f.TryGetProperty("aliases", out JsonElement fa) && fa.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement a in fa.EnumerateArray())
                {
                    fieldAliases.Add(a.GetString() ?? string.Empty);
                }
            }

            AvroSchema schema = ParseNode(Required(f, "type", "field"), own);
            JsonElement? defaultValue = f.TryGetProperty("default", out JsonElement d) ? d : null;
            fields.Add(new AvroField(name, fieldAliases, schema, defaultValue, fields.Count));
        }

        record.Fields = fields;
        return record;
    }

    private AvroEnumSchema ParseEnum(JsonElement node, string? ns)
    {
        (string fullName, _, IReadOnlyList<string> aliases) = Name(node, ns, "enum");
        JsonElement symbolsElement = Required(node, "symbols", "enum");
        var symbols = new List<string>();
        foreach (JsonElement s in symbolsElement.EnumerateArray())
        {
            string symbol = s.GetString() ?? throw new AvroSchemaException($"Avro enum {fullName}: symbols must be strings.");
            ValidateName(symbol, "enum symbol");
            if (symbols.Contains(symbol))
            {
                throw new AvroSchemaException($"Avro enum {fullName} has the symbol '{symbol}' twice.");
            }

            symbols.Add(symbol);
        }

        string? defaultSymbol = node.TryGetProperty("default", out JsonElement d) ? d.GetString() : null;
        if (defaultSymbol is not null && !symbols.Contains(defaultSymbol))
        {
            throw new AvroSchemaException($"Avro enum {fullName}: default '{defaultSymbol}' is not one of its symbols.");
        }

        var schema = new AvroEnumSchema(fullName, aliases, symbols, defaultSymbol);
        _named[fullName] = schema;
        return schema;
    }

    private AvroFixedSchema ParseFixed(JsonElement node, string? ns, string? logicalType)
    {
        (string fullName, _, IReadOnlyList<string> aliases) = Name(node, ns, "fixed");
        JsonElement size = Required(node, "size", "fixed");
        if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt32(out int n) || n < 0)
        {
            throw new AvroSchemaException($"Avro fixed {fullName}: \"size\" must be a non-negative integer.");
        }

        var schema = new AvroFixedSchema(fullName, aliases, n, logicalType) { DecimalScale = DecimalScale(node, logicalType) };
        _named[fullName] = schema;
        return schema;
    }
}
