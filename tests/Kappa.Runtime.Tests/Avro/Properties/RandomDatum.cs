using System.Numerics;
using System.Text;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// Random values for a writer schema as Apache.Avro generic objects (GenericRecord, GenericEnum, GenericFixed, object[],
/// Dictionary), written with Apache's <see cref="GenericDatumWriter{T}"/>. The schema is the data projection of an
/// <see cref="EvolvedSchema"/>: logical types appear as <c>x-logical</c> hints, so values are the underlying ones, kept
/// in the ranges .NET represents (timestamps and dates in years 1-9999, times of day within a day, decimals within 96
/// bits) except for occasional out-of-range timestamps that both readers must refuse. Edge values are favoured: 0, -1, min and max, NaN,
/// infinities, -0, random bit patterns, empty and non-ASCII strings (surrogate pairs included), empty collections.
/// </summary>
internal sealed class RandomDatum(int seed)
{
    private const long MinMillis = -62_135_596_800_000;   // 0001-01-01T00:00:00Z
    private const long MaxMillis = 253_402_300_799_999;   // 9999-12-31T23:59:59.999Z
    private const int MinDay = -719_162;
    private const int MaxDay = 2_932_896;
    private static readonly string[] Characters = ["a", "Z", "0", " ", "é", "€", "\u00ff", "\u0000", "😀", "日本", "\""];

    private readonly Random _random = new(seed);

    public static byte[] Write(Schema schema, object? datum)
    {
        using var stream = new MemoryStream();
        var encoder = new BinaryEncoder(stream);
        new GenericDatumWriter<object?>(schema).Write(datum, encoder);
        encoder.Flush();
        return stream.ToArray();
    }

    /// <summary>A random value; throws <see cref="NoFiniteValueException"/> for a schema whose values are all infinitely deep.</summary>
    public object? For(Schema schema, int depth = 0)
    {
        if (depth > 40)
        {
            throw new NoFiniteValueException(schema.Fullname);
        }

        string? logical = Property(schema, "x-logical");
        switch (schema.Tag)
        {
            case Schema.Type.Null:
                return null;
            case Schema.Type.Boolean:
                return _random.Next(2) == 1;
            case Schema.Type.Int:
                return logical switch
                {
                    "date" => Day(),
                    "time-millis" => (int)TimeOfDay(86_400_000L),
                    _ => Int(),
                };
            case Schema.Type.Long:
                return logical switch
                {
                    "timestamp-millis" or "local-timestamp-millis" => Timestamp(1),
                    "timestamp-micros" or "local-timestamp-micros" => Timestamp(1000),
                    "time-micros" => TimeOfDay(86_400_000_000L),
                    _ => Long(),
                };
            case Schema.Type.Float:
                return Float();
            case Schema.Type.Double:
                return Double();
            case Schema.Type.String:
                return logical == "uuid" ? Uuid() : Text();
            case Schema.Type.Bytes:
                if (logical == "decimal")
                {
                    return Decimal(int.Parse(Property(schema, "precision")!, System.Globalization.CultureInfo.InvariantCulture));
                }

                // Bytes promoted to a reader string must be UTF-8 (Kappa refuses invalid UTF-8, Apache replaces it).
                return Property(schema, "x-apache-type") == "string" ? Encoding.UTF8.GetBytes(Text()) : Bytes(8);
            case Schema.Type.Enumeration:
            {
                var e = (EnumSchema)schema;
                return new GenericEnum(e, e.Symbols[_random.Next(e.Symbols.Count)]);
            }

            case Schema.Type.Fixed:
            {
                var f = (FixedSchema)schema;
                return new GenericFixed(f, Bytes(f.Size, exact: true));
            }

            case Schema.Type.Record:
            case Schema.Type.Error:
            {
                var r = (RecordSchema)schema;
                var record = new GenericRecord(r);
                foreach (Field field in r.Fields)
                {
                    record.Add(field.Name, For(field.Schema, depth + 1));
                }

                return record;
            }

            case Schema.Type.Array:
            {
                var items = new object?[depth > 4 ? 0 : _random.Next(4)];
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = For(((ArraySchema)schema).ItemSchema, depth + 1);
                }

                return items;
            }

            case Schema.Type.Map:
            {
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                int count = depth > 4 ? 0 : _random.Next(4);
                for (int i = 0; i < count; i++)
                {
                    map[Text() + i] = For(((MapSchema)schema).ValueSchema, depth + 1);
                }

                return map;
            }

            case Schema.Type.Union:
            {
                var union = (UnionSchema)schema;
                int nullBranch = union.Schemas.ToList().FindIndex(s => s.Tag == Schema.Type.Null);
                int branch = depth > 4 && nullBranch >= 0 ? nullBranch : _random.Next(union.Count);
                return For(union[branch], depth + 1);
            }

            default:
                throw new InvalidOperationException($"no generator for {schema}");
        }
    }

    private static string? Property(Schema schema, string name) => schema.GetProperty(name)?.Trim('"');

    private int Int() => _random.Next(7) switch
    {
        0 => 0,
        1 => -1,
        2 => int.MinValue,
        3 => int.MaxValue,
        4 => _random.Next(-200, 200),
        _ => _random.Next(int.MinValue, int.MaxValue),
    };

    private long Long() => _random.Next(6) switch
    {
        0 => 0,
        1 => long.MinValue,
        2 => long.MaxValue,
        3 => _random.Next(-200, 200),
        4 => _random.Next(int.MinValue, int.MaxValue),
        _ => _random.NextInt64(long.MinValue, long.MaxValue),
    };

    private float Float() => _random.Next(8) switch
    {
        0 => 0f,
        1 => -0f,
        2 => float.NaN,
        3 => _random.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity,
        4 => float.MaxValue,
        5 => float.Epsilon,
        6 => (float)(_random.NextDouble() * 1000 - 500),
        _ => BitConverter.Int32BitsToSingle(_random.Next(int.MinValue, int.MaxValue)),
    };

    private double Double() => _random.Next(8) switch
    {
        0 => 0d,
        1 => -0d,
        2 => double.NaN,
        3 => _random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
        4 => double.MinValue,
        5 => double.Epsilon,
        6 => _random.NextDouble() * 1e6 - 5e5,
        _ => BitConverter.Int64BitsToDouble(_random.NextInt64(long.MinValue, long.MaxValue)),
    };

    private string Text()
    {
        var builder = new StringBuilder();
        int length = _random.Next(6);
        for (int i = 0; i < length; i++)
        {
            builder.Append(Characters[_random.Next(Characters.Length)]);
        }

        return builder.ToString();
    }

    private byte[] Bytes(int max, bool exact = false)
    {
        var bytes = new byte[exact ? max : _random.Next(max + 1)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string Uuid()
    {
        var guid = new Guid(Bytes(16, exact: true));
        string text = guid.ToString("D");
        return _random.Next(2) == 0 ? text : text.ToUpperInvariant();
    }

    private int Day() => _random.Next(5) switch
    {
        0 => MinDay,
        1 => MaxDay,
        2 => 0,
        _ => _random.Next(MinDay, MaxDay + 1),
    };

    private long Timestamp(long perMilli) => _random.Next(10) switch
    {
        0 => MinMillis * perMilli,
        1 => MaxMillis * perMilli + (perMilli - 1),
        2 => 0,
        3 => -1,
        4 => (MaxMillis + 1) * perMilli, // after 9999-12-31: not a DateTime, both readers refuse
        _ => _random.NextInt64(MinMillis, MaxMillis + 1) * perMilli + _random.NextInt64(perMilli),
    };

    /// <summary>A time of day in units after midnight (0 to units per day - 1); out-of-range values are not generated.</summary>
    private long TimeOfDay(long perDay) => _random.Next(4) switch
    {
        0 => 0,
        1 => perDay - 1,
        _ => _random.NextInt64(perDay),
    };

    /// <summary>A two's-complement big-endian unscaled value of at most min(precision, 28) digits (fits System.Decimal).</summary>
    private byte[] Decimal(int precision)
    {
        int digits = _random.Next(Math.Min(precision, 28) + 1);
        BigInteger value = BigInteger.Zero;
        for (int i = 0; i < digits; i++)
        {
            value = value * 10 + _random.Next(10);
        }

        if (_random.Next(2) == 0)
        {
            value = -value;
        }

        return value.ToByteArray(isUnsigned: false, isBigEndian: true);
    }
}

/// <summary>A record that requires itself (e.g. a recursive field whose null branch was removed) has no finite value.</summary>
internal sealed class NoFiniteValueException(string type) : Exception($"{type} has no finite value");
