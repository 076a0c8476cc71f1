using System.Text.Json.Nodes;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// Apache.Avro 1.12.2 rejects the uuid logical type on fixed(16) ("'uuid' can only be used with an underlying string
/// type", see docs/avro.md); the schemas it gets have that logical type removed. The encoding (16 bytes) is the same,
/// so it reads the uuid as a GenericFixed of the RFC 4122 (big-endian) bytes.
/// </summary>
internal static class ApacheCompat
{
    public static string WithoutUuidOnFixed(string schemaJson)
    {
        if (!schemaJson.Contains("\"uuid\"", StringComparison.Ordinal))
        {
            return schemaJson;
        }

        JsonNode root = JsonNode.Parse(schemaJson)!;
        Strip(root);
        return root.ToJsonString();

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonArray array:
                    foreach (JsonNode? item in array)
                    {
                        Strip(item);
                    }

                    break;
                case JsonObject o:
                    if (o["type"] is JsonValue type && type.TryGetValue(out string? t) && t == "fixed"
                        && o["logicalType"] is JsonValue logical && logical.TryGetValue(out string? l) && l == "uuid")
                    {
                        o.Remove("logicalType");
                    }

                    foreach (KeyValuePair<string, JsonNode?> p in o.ToList())
                    {
                        Strip(p.Value);
                    }

                    break;
            }
        }
    }
}
