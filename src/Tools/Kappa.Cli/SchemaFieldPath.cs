using System.Text.Json;

namespace Kappa.Cli;

/// <summary>
/// Turns a compatibility path in a reader schema (<c>/fields/6/type/fields/0/type</c>) into the dotted field names it
/// passes through (<c>Contact.Email</c>), following references to named records defined elsewhere in the schema.
/// </summary>
internal static class SchemaFieldPath
{
    public static string Of(string schemaJson, string path)
    {
        using JsonDocument document = JsonDocument.Parse(schemaJson);
        var named = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        CollectNamed(document.RootElement, named);
        var names = new List<string>();
        JsonElement current = document.RootElement;
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < segments.Length; i++)
        {
            if (current.ValueKind == JsonValueKind.String && named.TryGetValue(ShortName(current.GetString()!), out JsonElement definition))
            {
                current = definition;
            }

            string segment = segments[i];
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out JsonElement property))
            {
                current = property;
                if (segment == "fields" && i + 1 < segments.Length && int.TryParse(segments[i + 1], out int index) && index >= 0 && index < current.GetArrayLength())
                {
                    current = current[index];
                    i++;
                    if (current.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String)
                    {
                        names.Add(name.GetString()!);
                    }
                }
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out int item) && item >= 0 && item < current.GetArrayLength())
            {
                current = current[item];
            }
            else
            {
                break;
            }
        }

        return string.Join(".", names);
    }

    private static void CollectNamed(JsonElement element, Dictionary<string, JsonElement> named)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                CollectNamed(item, named);
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String && type.GetString() == "record"
                && element.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String)
            {
                named.TryAdd(ShortName(name.GetString()!), element);
            }

            foreach (JsonProperty property in element.EnumerateObject())
            {
                CollectNamed(property.Value, named);
            }
        }
    }

    private static string ShortName(string name) => name[(name.LastIndexOf('.') + 1)..];
}
