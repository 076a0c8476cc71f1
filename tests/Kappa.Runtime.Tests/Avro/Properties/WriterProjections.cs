using System.Text.Json.Nodes;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>The projections of an evolved writer schema that <see cref="EvolvedSchema"/> carries besides the schema itself.</summary>
internal static class WriterProjections
{
    /// <summary>Undoes the neutralized steps for Apache (string/bytes promotions, namespace changes); same encoding.</summary>
    public static JsonNode ForApache(JsonNode writer)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        Collect(writer);
        return Map(writer);

        void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonArray array:
                    foreach (JsonNode? item in array)
                    {
                        Collect(item);
                    }

                    break;
                case JsonObject o:
                    if (o["x-apache-namespace"] is JsonNode original)
                    {
                        string name = (string)o["name"]!;
                        renames[WriterSchemaEvolution.FullName(o)] = (string)original! + "." + name;
                    }

                    foreach (KeyValuePair<string, JsonNode?> p in o)
                    {
                        Collect(p.Value);
                    }

                    break;
            }
        }

        JsonNode Map(JsonNode node)
        {
            switch (node)
            {
                case JsonValue value when value.TryGetValue(out string? s):
                    return JsonValue.Create(renames.GetValueOrDefault(s, s));
                case JsonArray array:
                    return new JsonArray([.. array.Select(i => i is null ? null : Map(i))]);
                case JsonObject o:
                {
                    if (o["x-apache-type"] is JsonNode apacheType)
                    {
                        return apacheType.DeepClone();
                    }

                    var copy = new JsonObject();
                    foreach (KeyValuePair<string, JsonNode?> p in o)
                    {
                        if (p.Key == "x-apache-namespace")
                        {
                            continue;
                        }

                        copy[p.Key] = p.Key == "namespace" && o["x-apache-namespace"] is JsonNode ns ? ns.DeepClone()
                            : p.Key is "type" or "fields" or "items" or "values" ? (p.Value is null ? null : Map(p.Value))
                            : p.Value?.DeepClone();
                    }

                    return copy;
                }

                default:
                    return node.DeepClone();
            }
        }
    }

    /// <summary>logicalType renamed to x-logical: Apache's writer takes the underlying values, the generator sees the hint.</summary>
    public static JsonNode ForData(JsonNode writer)
    {
        JsonNode copy = writer.DeepClone();
        Rename(copy);
        return copy;

        static void Rename(JsonNode? node)
        {
            switch (node)
            {
                case JsonArray array:
                    foreach (JsonNode? item in array)
                    {
                        Rename(item);
                    }

                    break;
                case JsonObject o:
                    if (o["logicalType"] is JsonNode logical)
                    {
                        o.Remove("logicalType");
                        o["x-logical"] = logical;
                    }

                    foreach (KeyValuePair<string, JsonNode?> p in o.ToList())
                    {
                        Rename(p.Value);
                    }

                    break;
            }
        }
    }
}
