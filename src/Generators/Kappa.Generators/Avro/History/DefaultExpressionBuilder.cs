using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Kappa.Avro.Schemas;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common.Templates;

namespace Kappa.Generators.Avro.History;

/// <summary>
/// A reader-only field's default (the JSON of the reader schema's <c>default</c>) as a C# expression of the member's
/// type, built anew for every record as the run-time plan decodes it anew: the values are those the plan gets by
/// encoding the default with the reader schema and decoding it (unions take the first branch the value fits, bytes and
/// fixed are code points 0-255, decimals the unscaled two's-complement bytes, logical types their underlying number).
/// </summary>
internal sealed class DefaultExpressionBuilder(
    IReadOnlyDictionary<string, AvroRecordSpec> specsByType,
    Func<AvroTypeSpec, AvroTypeSpec> definition)
{
    private const long UnixEpochTicks = 621355968000000000L;
    private const int UnixEpochDayNumber = 719162;
    private const long MinTicks = 0L;
    private const long MaxTicks = 3155378975999999999L; // DateTime.MaxValue.Ticks
    private const long TicksPerDay = 864_000_000_000L;

    public string Expression(JsonElement value, AvroSchema schema, AvroTypeSpec type, string path)
    {
        if (schema is AvroUnionSchema union)
        {
            IReadOnlyList<ReaderBranch> branches = ReaderUnionBranches.Of(union, type)
                ?? throw new NotGeneratedException($"{path}: {type.CsType} does not map the union {union.Describe()}");
            int index = AvroDefaultBranch.IndexOf(value, union);
            if (index < 0)
            {
                throw Bad(value, schema, path);
            }

            ReaderBranch branch = branches[index];
            if (branch.Type is null)
            {
                return "null";
            }

            string inner = Expression(value, union.Branches[index], branch.Type, path);
            return branch.Wrap is null ? inner : $"{branch.Wrap}({inner})";
        }

        switch (type.Kind)
        {
            case AvroTypeKind.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return value.ValueKind == JsonValueKind.True ? "true" : "false";
            case AvroTypeKind.Int when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i):
                return i.ToString(CultureInfo.InvariantCulture);
            case AvroTypeKind.Long when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long l):
                return l.ToString(CultureInfo.InvariantCulture) + "L";
            case AvroTypeKind.Float:
                return Real(value, schema, path, "float");
            case AvroTypeKind.Double:
                return Real(value, schema, path, "double");
            case AvroTypeKind.String when value.ValueKind == JsonValueKind.String:
                return TemplateFunctions.Literal(value.GetString()!);
            case AvroTypeKind.Enum when value.ValueKind == JsonValueKind.String && type.Symbols.Contains(value.GetString()!):
                return $"{TemplateFunctions.NonNullable(type.CsType)}.{TemplateFunctions.Identifier(value.GetString()!)}";
            case AvroTypeKind.ByteArray:
                return ByteArray(Latin1(value, schema, path));
            case AvroTypeKind.ReadOnlyMemory:
                return $"new global::System.ReadOnlyMemory<byte>({ByteArray(Latin1(value, schema, path))})";
            case AvroTypeKind.Guid when schema is AvroFixedSchema:
                return GuidFromBigEndian(Latin1(value, schema, path));
            case AvroTypeKind.Guid when value.ValueKind == JsonValueKind.String && Guid.TryParseExact(value.GetString(), "D", out Guid guid):
                return $"new global::System.Guid({TemplateFunctions.Literal(guid.ToString("D"))})";
            case AvroTypeKind.Duration:
                return Duration(Latin1(value, schema, path));
            case AvroTypeKind.Decimal:
                return DecimalLiteral(Latin1(value, schema, path), type.Scale, path);
            case AvroTypeKind.DateTimeOffset:
                return $"new global::System.DateTimeOffset({Ticks(value, type.Micros, path)}L, global::System.TimeSpan.Zero)";
            case AvroTypeKind.DateTime:
                return $"new global::System.DateTime({Ticks(value, type.Micros, path)}L, global::System.DateTimeKind.{(type.Local ? "Unspecified" : "Utc")})";
            case AvroTypeKind.DateOnly when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int days)
                && (long)days + UnixEpochDayNumber is >= 0 and <= 3652058:
                return $"global::System.DateOnly.FromDayNumber({((long)days + UnixEpochDayNumber).ToString(CultureInfo.InvariantCulture)})";
            case AvroTypeKind.TimeOnly:
                return TimeOfDay(value, type.Micros, path);
            case AvroTypeKind.Record when value.ValueKind == JsonValueKind.Object && schema is AvroRecordSchema record:
                return Record(value, record, type, path);
            case AvroTypeKind.Array or AvroTypeKind.ReadOnlyList or AvroTypeKind.List when value.ValueKind == JsonValueKind.Array && schema is AvroArraySchema array:
                return Collection(value, array, type, path);
            case AvroTypeKind.Dictionary or AvroTypeKind.ReadOnlyDictionary when value.ValueKind == JsonValueKind.Object && schema is AvroMapSchema map:
                return Map(value, map, type, path);
            default:
                throw Bad(value, schema, path);
        }
    }

    private static NotGeneratedException Bad(JsonElement value, AvroSchema schema, string path) =>
        new($"{path}: the default {value.GetRawText()} is not a {schema.Describe()} value this generator can write");

    /// <summary>A float or double; a float goes through double as the run-time encoder converts it (<c>(float)2.5d</c>).</summary>
    private static string Real(JsonElement value, AvroSchema schema, string path, string type)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                double d = value.GetDouble();
                if (double.IsInfinity(d))
                {
                    throw Bad(value, schema, path);
                }

                string literal = d.ToString("R", CultureInfo.InvariantCulture);
                literal = literal.IndexOfAny(['.', 'E', 'e']) >= 0 ? literal : literal + ".0";
                return type == "float" ? $"(float){literal}d" : literal + "d";
            case JsonValueKind.String when value.GetString() is "NaN":
                return type + ".NaN";
            case JsonValueKind.String when value.GetString() is "Infinity":
                return type + ".PositiveInfinity";
            case JsonValueKind.String when value.GetString() is "-Infinity":
                return type + ".NegativeInfinity";
            default:
                throw Bad(value, schema, path);
        }
    }

    private static byte[] Latin1(JsonElement value, AvroSchema schema, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Bad(value, schema, path);
        }

        string s = value.GetString()!;
        var bytes = new byte[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            bytes[i] = s[i] <= 255 ? (byte)s[i] : throw Bad(value, schema, path);
        }

        if (schema is AvroFixedSchema f && f.Size != bytes.Length)
        {
            throw Bad(value, schema, path);
        }

        return bytes;
    }

    private static string ByteArray(byte[] bytes) => bytes.Length == 0
        ? "global::System.Array.Empty<byte>()"
        : "new byte[] { " + string.Join(", ", bytes.Select(b => b.ToString(CultureInfo.InvariantCulture))) + " }";

    private static uint UInt32LittleEndian(byte[] b, int at) => b[at] | ((uint)b[at + 1] << 8) | ((uint)b[at + 2] << 16) | ((uint)b[at + 3] << 24);

    private static string Duration(byte[] bytes) =>
        $"new global::Kappa.AvroDuration({UInt32LittleEndian(bytes, 0)}u, {UInt32LittleEndian(bytes, 4)}u, {UInt32LittleEndian(bytes, 8)}u)";

    /// <summary>uuid on fixed(16): the bytes in RFC 4122 (big-endian) order, as the Guid constructor's parts.</summary>
    private static string GuidFromBigEndian(byte[] b)
    {
        uint a = ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
        int c = (b[4] << 8) | b[5];
        int d = (b[6] << 8) | b[7];
        var sb = new StringBuilder("new global::System.Guid(");
        sb.Append(a.ToString(CultureInfo.InvariantCulture)).Append("u, (ushort)").Append(c.ToString(CultureInfo.InvariantCulture))
            .Append(", (ushort)").Append(d.ToString(CultureInfo.InvariantCulture));
        for (int i = 8; i < 16; i++)
        {
            sb.Append(", (byte)").Append(b[i].ToString(CultureInfo.InvariantCulture));
        }

        return sb.Append(')').ToString();
    }

    /// <summary>A decimal literal with exactly the schema's scale (trailing zeros kept, as the decoder's value has them).</summary>
    private static string DecimalLiteral(byte[] bigEndian, int scale, string path)
    {
        var littleEndian = new byte[bigEndian.Length];
        for (int i = 0; i < bigEndian.Length; i++)
        {
            littleEndian[i] = bigEndian[bigEndian.Length - 1 - i];
        }

        BigInteger unscaled = bigEndian.Length == 0 ? BigInteger.Zero : new BigInteger(littleEndian);
        if (BigInteger.Abs(unscaled) >= BigInteger.Pow(2, 96) || scale > 28)
        {
            throw new NotGeneratedException($"{path}: the decimal default does not fit System.Decimal (96 bits), so no value of the member can hold it (the run-time plan fails on such records too)");
        }

        string digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        string number = scale == 0 ? digits : digits.Substring(0, digits.Length - scale) + "." + digits.Substring(digits.Length - scale);
        return (unscaled.Sign < 0 ? "-" : string.Empty) + number + "m";
    }

    /// <summary>Ticks of a timestamp default (milliseconds or microseconds since the epoch), in DateTime's range as the decoder requires.</summary>
    private static string Ticks(JsonElement value, bool micros, string path)
    {
        long perUnit = micros ? 10 : 10_000;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long units)
            || units < (MinTicks - UnixEpochTicks) / perUnit || units > (MaxTicks - UnixEpochTicks) / perUnit)
        {
            throw new NotGeneratedException($"{path}: the timestamp default {value.GetRawText()} is outside the years 1-9999");
        }

        return ((units * perUnit) + UnixEpochTicks).ToString(CultureInfo.InvariantCulture);
    }

    private static string TimeOfDay(JsonElement value, bool micros, string path)
    {
        long perUnit = micros ? 10 : 10_000;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long units) || units < 0 || units * perUnit >= TicksPerDay
            || (!micros && units > int.MaxValue))
        {
            throw new NotGeneratedException($"{path}: the time default {value.GetRawText()} is not a time of day");
        }

        return $"new global::System.TimeOnly({(units * perUnit).ToString(CultureInfo.InvariantCulture)}L)";
    }

    private string Record(JsonElement value, AvroRecordSchema schema, AvroTypeSpec type, string path)
    {
        string csType = TemplateFunctions.NonNullable(type.CsType);
        if (!specsByType.TryGetValue(csType, out AvroRecordSpec? spec))
        {
            throw ResolvingDecoderBuilder.NotInThisCompilation(schema.FullName, csType);
        }

        AvroTypeSpec fields = type.IsReference ? definition(type) : type;
        if (fields.Fields.Count != schema.Fields.Count)
        {
            throw new NotGeneratedException($"the fields of {schema.FullName} do not match its schema");
        }

        var values = new List<string>();
        for (int i = 0; i < schema.Fields.Count; i++)
        {
            AvroField field = schema.Fields[i];
            JsonElement fieldValue = value.TryGetProperty(field.Name, out JsonElement given)
                ? given
                : field.Default ?? throw new NotGeneratedException($"{path}: the default {value.GetRawText()} has no value for field '{field.Name}' of {schema.FullName}");
            values.Add(Expression(fieldValue, field.Schema, fields.Fields[i].Type, path + "." + field.Name));
        }

        if (spec.UsePrimaryConstructor || values.Count == 0)
        {
            return $"new {spec.FullyQualifiedName}({string.Join(", ", values)})";
        }

        return $"new {spec.FullyQualifiedName} {{ {string.Join(", ", values.Select((v, i) => TemplateFunctions.Identifier(schema.Fields[i].Name) + " = " + v))} }}";
    }

    private string Collection(JsonElement value, AvroArraySchema schema, AvroTypeSpec type, string path)
    {
        AvroTypeSpec item = type.Item!;
        string[] items = [.. value.EnumerateArray().Select(v => Expression(v, schema.Items, item, path + "[]"))];
        if (type.Kind == AvroTypeKind.List)
        {
            return $"new global::System.Collections.Generic.List<{item.CsType}>" + (items.Length == 0 ? "()" : $" {{ {string.Join(", ", items)} }}");
        }

        return items.Length == 0
            ? $"global::System.Array.Empty<{item.CsType}>()"
            : $"new {item.CsType}[] {{ {string.Join(", ", items)} }}";
    }

    private string Map(JsonElement value, AvroMapSchema schema, AvroTypeSpec type, string path)
    {
        AvroTypeSpec item = type.Item!;
        string[] entries = [.. value.EnumerateObject().Select(p => $"[{TemplateFunctions.Literal(p.Name)}] = {Expression(p.Value, schema.Values, item, path + "{}")}")];
        return $"new global::System.Collections.Generic.Dictionary<string, {item.CsType}>" + (entries.Length == 0 ? "()" : $" {{ {string.Join(", ", entries)} }}");
    }
}
