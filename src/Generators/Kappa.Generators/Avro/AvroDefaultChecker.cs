using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;
using Kappa.Generators.Avro.Model;

namespace Kappa.Generators.Avro;

/// <summary>
/// Checks a field default (parsed JSON) against the field's Avro type, per the Avro 1.12 specification's table of
/// default values, and returns the JSON to emit. A field's own union default must match the union's first branch (what
/// every implementation accepts), and so does every nested union value (array items, map values, record fields inside
/// a default), as Apache Avro checks them: a nullable item's value is null unless its union is <c>[T, "null"]</c>. Logical types are checked so the default decodes too (dates, times and timestamps in range,
/// decimals that fit their precision and scale). A decimal default may be written as a JSON number: it is converted to
/// the spec's bytes form (the unscaled two's-complement big-endian value as a string of code points 0-255).
/// </summary>
internal static class AvroDefaultChecker
{
    private const long MinMillis = -62135596800000L;
    private const long MaxMillis = 253402300799999L;
    private const long MinMicros = -62135596800000000L;
    private const long MaxMicros = 253402300799999999L;
    private const int MinDays = -719162;
    private const int MaxDays = 2932896;

    /// <summary>Null when <paramref name="value"/> is a valid default of a field of type <paramref name="type"/>; otherwise why not.</summary>
    public static string? CheckField(AvroJsonValue value, AvroTypeSpec type, out AvroJsonValue normalized) =>
        Check(value, type, "", out normalized);

    private static string? Check(AvroJsonValue value, AvroTypeSpec type, string path, out AvroJsonValue normalized)
    {
        normalized = value;
        string at = path.Length == 0 ? string.Empty : $"at {path}: ";
        switch (type.Kind)
        {
            case AvroTypeKind.Nullable:
                // A union's default belongs to its first branch, at every level (Apache Avro checks nested values so too).
                if (!type.NullLast)
                {
                    return value.Kind == AvroJsonKind.Null ? null : at + "expected null: the union's first branch is \"null\" (a union's default belongs to its first branch)";
                }

                return value.Kind == AvroJsonKind.Null
                    ? at + "null is not the union's first branch"
                    : Check(value, type.Item!, path, out normalized);
            case AvroTypeKind.Union:
            case AvroTypeKind.ValueUnion:
                // A union's default belongs to its first branch, nested or not (readers pick the first branch an object fits).
                return Check(value, type.Branches[0], path, out normalized);
            case AvroTypeKind.Boolean:
                return value.Kind is AvroJsonKind.True or AvroJsonKind.False ? null : at + "expected true or false";
            case AvroTypeKind.Int:
                return value.IsInteger && int.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : at + "expected an integer from -2147483648 to 2147483647";
            case AvroTypeKind.Long:
                return IsLong(value, long.MinValue, long.MaxValue) ? null : at + "expected an integer from -9223372036854775808 to 9223372036854775807";
            case AvroTypeKind.Float:
            case AvroTypeKind.Double:
                return CheckReal(value, type.Kind == AvroTypeKind.Float, at, out normalized);
            case AvroTypeKind.String:
            case AvroTypeKind.Enum when value.Kind != AvroJsonKind.String:
                return value.Kind == AvroJsonKind.String ? null : at + "expected a string";
            case AvroTypeKind.Enum:
                foreach (string symbol in type.Symbols)
                {
                    if (symbol == value.Text)
                    {
                        return null;
                    }
                }

                return at + $"\"{value.Text}\" is not one of the enum's symbols ({string.Join(", ", type.Symbols)})";
            case AvroTypeKind.ByteArray:
            case AvroTypeKind.ReadOnlyMemory:
                return CheckBytes(value, type.FixedSize, at);
            case AvroTypeKind.Guid:
                if (type.FixedSize > 0)
                {
                    return CheckBytes(value, type.FixedSize, at);
                }

                return value.Kind == AvroJsonKind.String && value.Text.Length == 36 && Guid.TryParseExact(value.Text, "D", out _)
                    ? null
                    : at + "expected a uuid string in the 8-4-4-4-12 form";
            case AvroTypeKind.Duration:
                return CheckBytes(value, 12, at);
            case AvroTypeKind.Decimal:
                return CheckDecimal(value, type, at, out normalized);
            case AvroTypeKind.DateTime:
            case AvroTypeKind.DateTimeOffset:
                return type.Micros
                    ? (IsLong(value, MinMicros, MaxMicros) ? null : at + $"expected microseconds since 1970-01-01 from {MinMicros} to {MaxMicros} (the years 1-9999)")
                    : (IsLong(value, MinMillis, MaxMillis) ? null : at + $"expected milliseconds since 1970-01-01 from {MinMillis} to {MaxMillis} (the years 1-9999)");
            case AvroTypeKind.DateOnly:
                return IsLong(value, MinDays, MaxDays) ? null : at + $"expected days since 1970-01-01 from {MinDays} to {MaxDays} (the years 1-9999)";
            case AvroTypeKind.TimeOnly:
                return type.Micros
                    ? (IsLong(value, 0, 86_399_999_999L) ? null : at + "expected microseconds after midnight from 0 to 86399999999")
                    : (IsLong(value, 0, 86_399_999) ? null : at + "expected milliseconds after midnight from 0 to 86399999");
            case AvroTypeKind.Array:
            case AvroTypeKind.List:
            case AvroTypeKind.ReadOnlyList:
            {
                if (value.Kind != AvroJsonKind.Array)
                {
                    return at + "expected an array";
                }

                var items = new List<AvroJsonValue>();
                for (int i = 0; i < value.Items.Count; i++)
                {
                    if (Check(value.Items[i], type.Item!, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", out AvroJsonValue item) is { } error)
                    {
                        return error;
                    }

                    items.Add(item);
                }

                normalized = AvroJsonValue.Array(items);
                return null;
            }

            case AvroTypeKind.Dictionary:
            case AvroTypeKind.ReadOnlyDictionary:
            {
                if (value.Kind != AvroJsonKind.Object)
                {
                    return at + "expected an object (a map)";
                }

                var members = new List<KeyValuePair<string, AvroJsonValue>>();
                foreach (var member in value.Members)
                {
                    if (Check(member.Value, type.Item!, path + "[\"" + member.Key + "\"]", out AvroJsonValue item) is { } error)
                    {
                        return error;
                    }

                    members.Add(new KeyValuePair<string, AvroJsonValue>(member.Key, item));
                }

                normalized = AvroJsonValue.Object(members);
                return null;
            }

            case AvroTypeKind.Record:
                return CheckRecord(value, type, path, at, out normalized);
            default:
                return at + "this type has no default";
        }
    }

    private static string? CheckRecord(AvroJsonValue value, AvroTypeSpec type, string path, string at, out AvroJsonValue normalized)
    {
        normalized = value;
        if (value.Kind != AvroJsonKind.Object)
        {
            return at + "expected an object (a record)";
        }

        if (type.IsReference)
        {
            return at + $"a default inside the recursive record {type.AvroFullName} cannot be checked; use null";
        }

        var members = new List<KeyValuePair<string, AvroJsonValue>>();
        foreach (var member in value.Members)
        {
            AvroFieldSpec? field = null;
            foreach (AvroFieldSpec f in type.Fields)
            {
                if (f.Name == member.Key)
                {
                    field = f;
                }
            }

            if (field is null)
            {
                return at + $"{type.AvroFullName} has no field \"{member.Key}\"";
            }

            if (Check(member.Value, field.Type, path + "." + member.Key, out AvroJsonValue fieldValue) is { } error)
            {
                return error;
            }

            members.Add(new KeyValuePair<string, AvroJsonValue>(member.Key, fieldValue));
        }

        foreach (AvroFieldSpec f in type.Fields)
        {
            if (f.DefaultJson is null && !members.Exists(m => m.Key == f.Name))
            {
                return at + $"no value for the field \"{f.Name}\" of {type.AvroFullName}, which has no default of its own";
            }
        }

        normalized = AvroJsonValue.Object(members);
        return null;
    }

    private static bool IsLong(AvroJsonValue value, long min, long max) =>
        value.IsInteger && long.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max;

    private static string? CheckReal(AvroJsonValue value, bool single, string at, out AvroJsonValue normalized)
    {
        normalized = value;
        if (value.Kind != AvroJsonKind.Number || !double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || double.IsInfinity(d))
        {
            return at + (value.Kind == AvroJsonKind.String && value.Text is "NaN" or "Infinity" or "-Infinity"
                ? "NaN and the infinities have no JSON number form, and Apache Avro rejects them as defaults; use a finite number"
                : "expected a finite number");
        }

        if (single && Math.Abs(d) > float.MaxValue)
        {
            return at + "the number is outside the range of a float";
        }

        // Written with a fraction: python3-avro 1.11.1 takes only JSON numbers with one as float or double defaults.
        normalized = value.IsInteger ? AvroJsonValue.Number(value.Text + ".0") : value;
        return null;
    }

    private static string? CheckBytes(AvroJsonValue value, int fixedSize, string at)
    {
        if (value.Kind != AvroJsonKind.String)
        {
            return at + "expected a string whose characters \\u0000-\\u00ff are the bytes";
        }

        foreach (char c in value.Text)
        {
            if (c > 0xFF)
            {
                return at + $"the character U+{(int)c:X4} is not a byte (bytes and fixed defaults use only \\u0000-\\u00ff)";
            }
        }

        return fixedSize > 0 && value.Text.Length != fixedSize ? at + $"a fixed({fixedSize}) default needs exactly {fixedSize} bytes, found {value.Text.Length}" : null;
    }

    private static string? CheckDecimal(AvroJsonValue value, AvroTypeSpec type, string at, out AvroJsonValue normalized)
    {
        normalized = value;
        BigInteger unscaled;
        if (value.Kind == AvroJsonKind.String)
        {
            if (CheckBytes(value, 0, at) is { } error)
            {
                return error;
            }

            if (value.Text.Length == 0)
            {
                return at + "a decimal needs at least one byte";
            }

            var bytes = new byte[value.Text.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[bytes.Length - 1 - i] = (byte)value.Text[i]; // big-endian text, little-endian BigInteger
            }

            unscaled = new BigInteger(bytes);
        }
        else if (value.Kind == AvroJsonKind.Number && decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d))
        {
            int scale = (decimal.GetBits(d)[3] >> 16) & 0xFF;
            if (scale > type.Scale && decimal.Round(d, type.Scale) != d)
            {
                return at + $"{value.Text} has more than {type.Scale} fractional digits (values are never rounded)";
            }

            unscaled = Unscaled(d, type.Scale);
            byte[] little = unscaled.ToByteArray();
            var text = new StringBuilder(little.Length);
            for (int i = little.Length - 1; i >= 0; i--)
            {
                text.Append((char)little[i]);
            }

            normalized = AvroJsonValue.String(text.ToString());
        }
        else
        {
            return at + "expected a number or a bytes string (the unscaled two's-complement big-endian value)";
        }

        return BigInteger.Abs(unscaled) >= BigInteger.Pow(10, type.Precision)
            ? at + $"{value.Text} does not fit decimal({type.Precision},{type.Scale})"
            : null;
    }

    /// <summary>The unscaled value of <paramref name="value"/> at <paramref name="scale"/> (exact: the caller checked the fractional digits).</summary>
    private static BigInteger Unscaled(decimal value, int scale)
    {
        int[] bits = decimal.GetBits(value);
        int current = (bits[3] >> 16) & 0xFF;
        var magnitude = new BigInteger((uint)bits[2]) << 64 | new BigInteger((uint)bits[1]) << 32 | new BigInteger((uint)bits[0]);
        magnitude = current <= scale ? magnitude * BigInteger.Pow(10, scale - current) : magnitude / BigInteger.Pow(10, current - scale);
        return bits[3] < 0 ? -magnitude : magnitude;
    }
}
