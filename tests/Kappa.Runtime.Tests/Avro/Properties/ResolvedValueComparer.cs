using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using Avro;
using Avro.Generic;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// Compares, field by field, what Apache.Avro's GenericDatumReader returned (GenericRecord, GenericEnum, object[],
/// dictionaries, boxed numbers, AvroDecimal, DateTime, Guid) with the typed object Kappa decoded, walking the reader
/// schema. Fixed values by their bytes (uuid on fixed big-endian, durations as their three little-endian parts);
/// times of day and local timestamps by ticks; unions of several branches by the branch Kappa's value holds.
/// Numbers compare exactly (floats and doubles by bit pattern, any NaN equal to any NaN); decimals by unscaled
/// value and scale (Kappa's decimal must carry the schema's scale); timestamps by UTC ticks (Kappa's offset must be
/// zero, its DateTime kind UTC); dates by day; bytes by content; enums by symbol; maps by key set and values.
/// </summary>
internal static class ResolvedValueComparer
{
    private static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Null when equal, otherwise where and how they differ.</summary>
    public static string? Difference(AvroSchema reader, object? apache, object? kappa, string path)
    {
        switch (reader)
        {
            case AvroUnionSchema union:
            {
                if (apache is null || kappa is null)
                {
                    return apache is null && kappa is null ? null : Mismatch(path, apache, kappa);
                }

                AvroSchema[] nonNull = [.. union.Branches.Where(b => b.Kind != AvroSchemaKind.Null)];
                return nonNull.Length == 1 ? Difference(nonNull[0], apache, kappa, path) : UnionDifference(nonNull, apache, kappa, path);
            }

            case AvroRecordSchema record:
            {
                if (apache is not GenericRecord generic || kappa is null)
                {
                    return Mismatch(path, apache, kappa);
                }

                foreach (AvroField field in record.Fields)
                {
                    if (!generic.TryGetValue(field.Name, out object? apacheValue))
                    {
                        return $"{path}.{field.Name}: Apache's record has no such field";
                    }

                    string? difference = Difference(field.Schema, apacheValue, Member(kappa, field.Name), path + "." + field.Name);
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;
            }

            case AvroFixedSchema fixedSchema:
                return FixedBytes(fixedSchema, kappa) is byte[] kappaBytes && apache is GenericFixed apacheFixed && apacheFixed.Value.AsSpan().SequenceEqual(kappaBytes)
                    ? null
                    : Mismatch(path, apache, kappa);
            case AvroEnumSchema:
                return apache is GenericEnum e && kappa is Enum k && e.Value == k.ToString() ? null : Mismatch(path, apache, kappa);
            case AvroArraySchema array:
            {
                if (apache is not IList apacheItems || kappa is not IEnumerable kappaEnumerable)
                {
                    return Mismatch(path, apache, kappa);
                }

                object?[] kappaItems = [.. kappaEnumerable.Cast<object?>()];
                if (apacheItems.Count != kappaItems.Length)
                {
                    return $"{path}: Apache has {apacheItems.Count} items, Kappa {kappaItems.Length}";
                }

                for (int i = 0; i < kappaItems.Length; i++)
                {
                    string? difference = Difference(array.Items, apacheItems[i], kappaItems[i], $"{path}[{i}]");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;
            }

            case AvroMapSchema map:
            {
                if (apache is not IDictionary apacheMap || kappa is not IDictionary kappaMap)
                {
                    return Mismatch(path, apache, kappa);
                }

                if (apacheMap.Count != kappaMap.Count)
                {
                    return $"{path}: Apache has {apacheMap.Count} entries, Kappa {kappaMap.Count}";
                }

                foreach (DictionaryEntry entry in apacheMap)
                {
                    if (!kappaMap.Contains(entry.Key))
                    {
                        return $"{path}: Kappa lacks key '{entry.Key}'";
                    }

                    string? difference = Difference(map.Values, entry.Value, kappaMap[entry.Key], $"{path}{{{entry.Key}}}");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;
            }

            default:
                return Primitive(reader, apache, kappa, path);
        }
    }

    private static string? Primitive(AvroSchema reader, object? apache, object? kappa, string path)
    {
        bool equal = (reader.Kind, reader.LogicalType) switch
        {
            (AvroSchemaKind.Null, _) => apache is null && kappa is null,
            (AvroSchemaKind.Boolean, _) => apache is bool a && kappa is bool k && a == k,
            (AvroSchemaKind.Int, "date") => apache is DateTime a && kappa is DateOnly k && DateOnly.FromDateTime(a) == k,
            (AvroSchemaKind.Int, "time-millis") or (AvroSchemaKind.Long, "time-micros") => apache is TimeSpan a && kappa is TimeOnly k && a.Ticks == k.Ticks,
            (AvroSchemaKind.Long, "local-timestamp-millis" or "local-timestamp-micros") => apache is DateTime a && kappa is DateTime { Kind: DateTimeKind.Unspecified } k && a.Ticks == k.Ticks,
            (AvroSchemaKind.Int, _) => apache is int a && kappa is int k && a == k,
            (AvroSchemaKind.Long, "timestamp-millis" or "timestamp-micros") => apache is DateTime a && UtcTicks(kappa) is long k && a.Ticks == k,
            (AvroSchemaKind.Long, _) => apache is long a && kappa is long k && a == k,
            (AvroSchemaKind.Float, _) => apache is float a && kappa is float k && (BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(k) || (float.IsNaN(a) && float.IsNaN(k))),
            (AvroSchemaKind.Double, _) => apache is double a && kappa is double k && (BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(k) || (double.IsNaN(a) && double.IsNaN(k))),
            (AvroSchemaKind.String, "uuid") => apache is Guid a && kappa is Guid k && a == k,
            (AvroSchemaKind.String, _) => apache is string a && kappa is string k && a == k,
            (AvroSchemaKind.Bytes, "decimal") => apache is AvroDecimal a && kappa is decimal k && DecimalEquals(a, k),
            (AvroSchemaKind.Bytes, _) => apache is byte[] a && KappaBytes(kappa) is byte[] k && a.AsSpan().SequenceEqual(k),
            _ => false,
        };
        return equal ? null : Mismatch(path, apache, kappa);
    }

    private static long? UtcTicks(object? kappa) => kappa switch
    {
        DateTimeOffset o when o.Offset == TimeSpan.Zero => o.UtcTicks,
        DateTime d when d.Kind == DateTimeKind.Utc => d.Ticks,
        _ => null,
    };

    /// <summary>
    /// A reader union of several non-null branches: Kappa's value says which (an AvroUnion&lt;...&gt;'s Index, or the
    /// record type of an [AvroUnion] branch, whose C# name is the record's Avro name); Apache's value must be the same
    /// branch's value.
    /// </summary>
    private static string? UnionDifference(AvroSchema[] branches, object apache, object kappa, string path)
    {
        Type type = kappa.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition().Name.StartsWith("AvroUnion`", StringComparison.Ordinal))
        {
            int index = (int)type.GetProperty("Index")!.GetValue(kappa)!;
            object? item = type.GetProperty($"Item{index + 1}")!.GetValue(kappa);
            return Difference(branches[index], apache, item, $"{path}<{index}>");
        }

        AvroSchema? branch = branches.FirstOrDefault(b => b is AvroRecordSchema r && r.Name == type.Name);
        if (branch is null || apache is not GenericRecord generic || generic.Schema.Fullname != ((AvroRecordSchema)branch).FullName)
        {
            return Mismatch(path, apache, kappa);
        }

        return Difference(branch, apache, kappa, $"{path}<{type.Name}>");
    }

    /// <summary>The encoded bytes of Kappa's value of a fixed: byte arrays as they are, a uuid big-endian, a duration's three little-endian parts.</summary>
    private static byte[]? FixedBytes(AvroFixedSchema schema, object? kappa) => kappa switch
    {
        Guid g when schema.LogicalType == "uuid" => g.ToByteArray(bigEndian: true),
        global::Kappa.AvroDuration d => [.. BitConverter.GetBytes(d.Months), .. BitConverter.GetBytes(d.Days), .. BitConverter.GetBytes(d.Milliseconds)],
        _ => KappaBytes(kappa),
    };

    private static byte[]? KappaBytes(object? kappa) => kappa switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.ToArray(),
        _ => null,
    };

    private static bool DecimalEquals(AvroDecimal apache, decimal kappa)
    {
        int[] bits = decimal.GetBits(kappa);
        var magnitude = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        BigInteger unscaled = kappa < 0 || (bits[3] & int.MinValue) != 0 ? -magnitude : magnitude;
        return kappa.Scale == apache.Scale && unscaled == apache.UnscaledValue;
    }

    private static object? Member(object target, string name)
    {
        Type type = target.GetType();
        if (type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is PropertyInfo property)
        {
            return property.GetValue(target);
        }

        FieldInfo field = type.GetField(name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{type.Name} has no member {name}");
        return field.GetValue(target);
    }

    private static string Mismatch(string path, object? apache, object? kappa) =>
        $"{path}: Apache.Avro read {Show(apache)}, Kappa read {Show(kappa)}";

    internal static string Show(object? value) => value switch
    {
        null => "null",
        byte[] b => $"bytes[{Convert.ToHexString(b)}]",
        ReadOnlyMemory<byte> m => $"bytes[{Convert.ToHexString(m.Span)}]",
        string s => $"\"{s}\"",
        float f => f.ToString("R", CultureInfo.InvariantCulture) + $"f(0x{BitConverter.SingleToInt32Bits(f):x8})",
        double d => d.ToString("R", CultureInfo.InvariantCulture) + $"d(0x{BitConverter.DoubleToInt64Bits(d):x16})",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture) + $" ({t.Kind}, {t.Ticks} ticks, {(t - Epoch).Ticks / 10} us)",
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture) + $" ({t.UtcTicks} ticks)",
        AvroDecimal a => $"AvroDecimal({a.UnscaledValue}, scale {a.Scale})",
        decimal m => $"{m.ToString(CultureInfo.InvariantCulture)}m (scale {m.Scale})",
        GenericEnum e => $"enum {e.Value}",
        _ => $"{value} ({value.GetType().Name})",
    };
}
