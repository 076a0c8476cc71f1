using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>
/// One text form per column type for values from C# records and from either database (which return decimals, times,
/// uuids and JSON in their own shapes), so expected and actual rows compare as strings.
/// </summary>
public static class Canonical
{
    public const string Null = "<null>";

    public static string Of(object? value, TableColumnType type)
    {
        if (value is null or DBNull)
        {
            return Null;
        }

        return type switch
        {
            TableColumnType.Boolean => (value is bool b ? b : Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0).ToString(),
            TableColumnType.Int32 or TableColumnType.Int64 => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            TableColumnType.Float32 => (value is float f ? f : (float)Convert.ToDouble(value, CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture),
            TableColumnType.Float64 => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
            TableColumnType.Decimal => Normalize(value is string s ? decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
            TableColumnType.Text => (string)value,
            TableColumnType.Bytes => Convert.ToHexString((byte[])value),
            TableColumnType.Uuid => (value is Guid g ? g : Guid.Parse((string)value)).ToString("D"),
            TableColumnType.TimestampTz => Ticks(value).ToString(CultureInfo.InvariantCulture),
            TableColumnType.Json => JsonNode.Parse(value is string json ? json : JsonSerializer.Serialize(value))!.ToJsonString(),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
    }

    private static string Normalize(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static long Ticks(object value) => value switch
    {
        DateTimeOffset o => o.UtcTicks,
        DateTime d => d.Kind == DateTimeKind.Unspecified ? d.Ticks : d.ToUniversalTime().Ticks,
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcTicks,
        _ => throw new ArgumentException($"Not a timestamp: {value.GetType()}"),
    };
}
