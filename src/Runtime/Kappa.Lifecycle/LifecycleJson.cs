using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kappa.Lifecycle;

/// <summary>
/// The one JSON shape of the registry's records and of the <c>kappa</c> tool's <c>--json</c> output: camelCase
/// properties, enums as their names, ISO 8601 times, nulls omitted. Documented in docs/operations.md.
/// </summary>
public static class LifecycleJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
