using System.Text.Json.Nodes;

namespace Kappa.Runtime.Tests.Avro.Resolution;

/// <summary>
/// Seeded random schema pairs for the compatibility cross-check: a random record, and a copy with one to three
/// mutations (fields added or removed with and without defaults, promotions and their reverse, unrelated type changes,
/// enum symbols and defaults, union branches, null wrapping, renames with and without aliases, fixed sizes, nested
/// records, collections).
/// </summary>
public sealed class SchemaPairGenerator(int seed)
{
    private static readonly string[] Primitives = ["int", "long", "float", "double", "string", "bytes", "boolean", "null"];
    private readonly Random _random = new(seed);
    private int _names;

    public (string A, string B, string Mutations) Next()
    {
        _names = 0;
        JsonObject a = Record("R", 1 + _random.Next(4), 0);
        JsonObject b = (JsonObject)a.DeepClone();
        var applied = new List<string>();
        int count = 1 + _random.Next(3);
        for (int i = 0; i < count; i++)
        {
            applied.Add(Mutate(b));
        }

        return (a.ToJsonString(), b.ToJsonString(), string.Join(", ", applied));
    }

    private JsonObject Record(string name, int fields, int depth)
    {
        var list = new JsonArray();
        for (int i = 0; i < fields; i++)
        {
            list.Add(Field("f" + i, depth));
        }

        return new JsonObject { ["type"] = "record", ["name"] = name, ["namespace"] = "kappa.gen", ["fields"] = list };
    }

    private JsonObject Field(string name, int depth)
    {
        JsonNode type = Type(depth);
        var field = new JsonObject { ["name"] = name, ["type"] = type };
        if (_random.Next(2) == 0)
        {
            field["default"] = DefaultFor(type);
        }

        return field;
    }

    private JsonNode Type(int depth)
    {
        int pick = _random.Next(depth >= 2 ? 8 : 13);
        switch (pick)
        {
            case < 7:
                return JsonValue.Create(Primitives[pick])!;
            case 7:
                return Union(depth);
            case 8:
                return Enum();
            case 9:
                return new JsonObject { ["type"] = "fixed", ["name"] = "F" + _names++, ["namespace"] = "kappa.gen", ["size"] = 2 + _random.Next(3) };
            case 10:
                return new JsonObject { ["type"] = "array", ["items"] = Type(depth + 1) };
            case 11:
                return new JsonObject { ["type"] = "map", ["values"] = Type(depth + 1) };
            default:
                return Record("N" + _names++, 1 + _random.Next(3), depth + 1);
        }
    }

    private JsonObject Enum()
    {
        string[] all = ["A", "B", "C", "D"];
        var symbols = new JsonArray();
        foreach (string s in all.Take(1 + _random.Next(4)))
        {
            symbols.Add(s);
        }

        var e = new JsonObject { ["type"] = "enum", ["name"] = "E" + _names++, ["namespace"] = "kappa.gen", ["symbols"] = symbols };
        if (_random.Next(3) == 0)
        {
            e["default"] = symbols[0]!.GetValue<string>();
        }

        return e;
    }

    private JsonArray Union(int depth)
    {
        var branches = new JsonArray();
        var used = new HashSet<string>();
        int n = 2 + _random.Next(2);
        while (branches.Count < n)
        {
            string p = _random.Next(5) == 0 ? "enum" : Primitives[_random.Next(Primitives.Length)];
            if (used.Add(p))
            {
                branches.Add(p == "enum" ? Enum() : JsonValue.Create(p));
            }
        }

        return branches;
    }

    private static JsonNode? DefaultFor(JsonNode type)
    {
        if (type is JsonArray union)
        {
            return DefaultFor(union[0]!);
        }

        if (type is JsonObject o)
        {
            return o["type"]!.GetValue<string>() switch
            {
                "enum" => JsonValue.Create(o["symbols"]![0]!.GetValue<string>()),
                "fixed" => JsonValue.Create(new string('x', o["size"]!.GetValue<int>())),
                "array" => new JsonArray(),
                "map" => new JsonObject(),
                _ => RecordDefault(o),
            };
        }

        return type.GetValue<string>() switch
        {
            "int" => JsonValue.Create(1),
            "long" => JsonValue.Create(2L),
            "float" => JsonValue.Create(1.5),
            "double" => JsonValue.Create(2.5),
            "string" => JsonValue.Create("s"),
            "bytes" => JsonValue.Create("b"),
            "boolean" => JsonValue.Create(true),
            _ => null,
        };
    }

    private static JsonObject RecordDefault(JsonObject record)
    {
        var value = new JsonObject();
        foreach (JsonNode? f in record["fields"]!.AsArray())
        {
            value[f!["name"]!.GetValue<string>()] = DefaultFor(f["type"]!);
        }

        return value;
    }

    /// <summary>Applies one random mutation somewhere in <paramref name="record"/>; returns what it did.</summary>
    private string Mutate(JsonObject record)
    {
        JsonArray fields = record["fields"]!.AsArray();
        if (fields.Count == 0)
        {
            fields.Add(Field("g" + _names++, 1));
            return "added a field to an empty record";
        }

        int index = _random.Next(fields.Count);
        JsonObject field = fields[index]!.AsObject();
        JsonNode type = field["type"]!;
        switch (_random.Next(12))
        {
            case 0:
                fields.Add(Field("g" + _names++, 1));
                return "added field (default or not)";
            case 1:
                fields.RemoveAt(index);
                return "removed field";
            case 2:
                field.Remove("default");
                return "dropped a default";
            case 3 when type is JsonValue:
                string from = type.GetValue<string>();
                string to = from switch
                {
                    "int" => new[] { "long", "float", "double" }[_random.Next(3)],
                    "long" => new[] { "int", "float", "double" }[_random.Next(3)],
                    "float" => new[] { "double", "long" }[_random.Next(2)],
                    "double" => new[] { "float", "int" }[_random.Next(2)],
                    "string" => "bytes",
                    "bytes" => "string",
                    _ => "int",
                };
                field["type"] = to;
                field.Remove("default");
                return $"changed {from} to {to}";
            case 4 when type is not JsonArray && !(type is JsonValue v0 && v0.GetValue<string>() == "null"):
                field["type"] = new JsonArray("null", type.DeepClone());
                field["default"] = null;
                return "wrapped in [null, T]";
            case 5 when type is JsonArray union && union.Count > 1:
                union.RemoveAt(_random.Next(union.Count));
                field.Remove("default");
                return "removed a union branch";
            case 6 when type is JsonArray union:
                string extra = Primitives.FirstOrDefault(p => !union.Any(b => b is JsonValue v && v.GetValue<string>() == p)) ?? "int";
                if (!union.Any(b => b is JsonValue v && v.GetValue<string>() == extra))
                {
                    union.Add(extra);
                }

                return "added a union branch";
            case 7 when type is JsonObject { } o && o["type"]!.GetValue<string>() == "enum":
                JsonArray symbols = o["symbols"]!.AsArray();
                switch (_random.Next(3))
                {
                    case 0 when symbols.Count > 1:
                        string removed = symbols[^1]!.GetValue<string>();
                        symbols.RemoveAt(symbols.Count - 1);
                        if (o["default"]?.GetValue<string>() == removed)
                        {
                            o.Remove("default");
                        }

                        if (field["default"]?.GetValue<string>() == removed)
                        {
                            field.Remove("default");
                        }

                        return "removed an enum symbol";
                    case 1:
                        if (!symbols.Any(s => s!.GetValue<string>() == "Z"))
                        {
                            symbols.Add("Z");
                        }

                        return "added an enum symbol";
                    default:
                        if (o.ContainsKey("default"))
                        {
                            o.Remove("default");
                            return "removed the enum default";
                        }

                        o["default"] = symbols[0]!.GetValue<string>();
                        return "added an enum default";
                }

            case 8:
                string oldName = field["name"]!.GetValue<string>();
                field["name"] = oldName + "x";
                if (_random.Next(2) == 0)
                {
                    field["aliases"] = new JsonArray(oldName);
                    return "renamed a field with an alias";
                }

                return "renamed a field";
            case 9 when type is JsonObject { } fixedType && fixedType["type"]!.GetValue<string>() == "fixed":
                fixedType["size"] = fixedType["size"]!.GetValue<int>() + 1;
                field.Remove("default");
                return "changed a fixed size";
            case 10 when type is JsonObject { } nested && nested["type"]!.GetValue<string>() == "record":
                return "nested: " + Mutate(nested);
            case 10 when type is JsonObject { } collection && collection["type"]!.GetValue<string>() is "array" or "map":
                string key = collection.ContainsKey("items") ? "items" : "values";
                if (collection[key] is JsonValue item && item.GetValue<string>() is "int" or "long" or "float")
                {
                    collection[key] = item.GetValue<string>() == "float" ? "double" : "long";
                    return "promoted collection items";
                }

                collection[key] = "string";
                field.Remove("default");
                return "changed collection items to string";
            case 11:
                string oldRecord = record["name"]!.GetValue<string>();
                if (oldRecord == "R")
                {
                    record["name"] = "R2";
                    if (_random.Next(2) == 0)
                    {
                        record["aliases"] = new JsonArray("kappa.gen.R");
                        return "renamed the record with an alias";
                    }

                    return "renamed the record";
                }

                return "kept the record name";
            default:
                field["type"] = Type(1);
                field.Remove("default");
                return "replaced a field type";
        }
    }
}
