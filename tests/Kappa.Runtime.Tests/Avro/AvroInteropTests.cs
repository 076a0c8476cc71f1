using System.Globalization;
using System.Text.Json.Nodes;
using Kappa.Avro;

namespace Kappa.Runtime.Tests.Avro;

/// <summary>Interop with the Apache Avro reference implementation (python3-avro): our bytes are its bytes.</summary>
public class AvroInteropTests
{
    public static TheoryData<string> Samples => new() { "full", "empty" };

    [Fact]
    public void Reference_implementation_is_python3_avro_1_11()
    {
        string version = PythonAvro.Run("version", Everything.AvroSchemaJson, string.Empty);
        Assert.StartsWith("1.", version);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Bytes_we_write_decode_in_the_reference_implementation_to_equal_values(string sample)
    {
        Everything value = Sample(sample);
        string hex = Convert.ToHexString(AvroSerializer.SerializeToArray(value));
        string decoded = PythonAvro.Run("decode", Everything.AvroSchemaJson, hex);
        AssertNormalizedEqual(Normalize(value), JsonNode.Parse(decoded)!, "$");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Bytes_the_reference_implementation_writes_decode_with_generated_code(string sample)
    {
        Everything value = Sample(sample);
        string hex = PythonAvro.Run("encode", Everything.AvroSchemaJson, Normalize(value).ToJsonString());
        Everything decoded = AvroSerializer.Deserialize<Everything>(Convert.FromHexString(hex));
        Assert.Equal(AvroSamples.Describe(value), AvroSamples.Describe(decoded));
    }

    [Fact]
    public void Reference_implementation_reads_and_rewrites_our_bytes_identically()
    {
        var referrers = new Customer { Name = "Zoë", Age = -7, Referrer = new Customer { Name = "Bob", Email = "b@x", Addresses = [new Address("s", null, 3)] } };
        foreach (var (schema, bytes) in new[]
        {
            (Customer.AvroSchemaJson, AvroSerializer.SerializeToArray(referrers)),
            (Markers.AvroSchemaJson, AvroSerializer.SerializeToArray(new Markers([new Marker(), new Marker()], [], -1))),
            (Measurement.AvroSchemaJson, AvroSerializer.SerializeToArray(new Measurement { Timestamp = long.MinValue, Value = float.NegativeInfinity })),
            (Outer.Inner.AvroSchemaJson, AvroSerializer.SerializeToArray(new Outer.Inner(new string('€', 300)))),
            (OrderLine.AvroSchemaJson, AvroSerializer.SerializeToArray(new OrderLine("x", int.MaxValue, -99_999_999_999_999.9999m))),
            (Everything.AvroSchemaJson, AvroSerializer.SerializeToArray(AvroSamples.Full())),
            (Everything.AvroSchemaJson, AvroSerializer.SerializeToArray(AvroSamples.Empty())),
        })
        {
            string hex = Convert.ToHexString(bytes).ToLowerInvariant();
            Assert.Equal(hex, PythonAvro.Run("reencode", schema, hex));
        }
    }

    [Fact]
    public void Canonical_form_and_fingerprint_agree_with_the_reference()
    {
        foreach (var (json, canonical, fingerprint, hasLogicalTypes) in new[]
        {
            (Everything.AvroSchemaJson, Everything.AvroCanonicalSchema, Everything.AvroFingerprint, true),
            (Customer.AvroSchemaJson, Customer.AvroCanonicalSchema, Customer.AvroFingerprint, false),
            (Measurement.AvroSchemaJson, Measurement.AvroCanonicalSchema, Measurement.AvroFingerprint, false),
            (OrderLine.AvroSchemaJson, OrderLine.AvroCanonicalSchema, OrderLine.AvroFingerprint, true),
        })
        {
            string[] lines = PythonAvro.Run("canonical", json, string.Empty).Split('\n');
            if (!hasLogicalTypes)
            {
                // Without logical types the reference's canonical form is exactly ours.
                Assert.Equal(lines[0].Trim(), canonical);
            }

            Assert.Equal(lines[1].Trim(), canonical);
            Assert.Equal(long.Parse(lines[2].Trim(), CultureInfo.InvariantCulture), fingerprint);
        }
    }

    private static Everything Sample(string name) => name == "full" ? AvroSamples.Full() : AvroSamples.Empty();

    private static long Micros(DateTimeOffset value, bool millis)
    {
        long ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long unit = millis ? 10_000 : 10;
        long floored = (ticks / unit) - ((ticks % unit) < 0 ? 1 : 0);
        return floored * (unit / 10);
    }

    private static JsonNode? Address(Address? a) =>
        a is null ? null : new JsonObject { ["Street"] = a.Street, ["City"] = a.City, ["Zip"] = a.Zip };

    private static JsonObject Point(Point p) => new() { ["X"] = p.X, ["Y"] = p.Y };

    private static string Dec(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    /// <summary>The value in the script's normalized JSON form.</summary>
    private static JsonObject Normalize(Everything e) => new()
    {
        ["Flag"] = e.Flag,
        ["Int"] = e.Int,
        ["Long"] = e.Long,
        ["Float"] = (double)e.Float,
        ["Double"] = e.Double,
        ["Text"] = e.Text,
        ["Bytes"] = Convert.ToHexString(e.Bytes).ToLowerInvariant(),
        ["Memory"] = Convert.ToHexString(e.Memory.Span).ToLowerInvariant(),
        ["Status"] = e.Status.ToString(),
        ["MaybeInt"] = e.MaybeInt,
        ["MaybeText"] = e.MaybeText,
        ["Home"] = Address(e.Home),
        ["Work"] = Address(e.Work),
        ["Location"] = Point(e.Location),
        ["MaybeLocation"] = e.MaybeLocation is { } p ? Point(p) : null,
        ["Numbers"] = new JsonArray(e.Numbers.Select(n => (JsonNode?)n).ToArray()),
        ["Tags"] = new JsonArray(e.Tags.Select(t => (JsonNode?)t).ToArray()),
        ["Lines"] = new JsonArray(e.Lines.Select(l => (JsonNode?)new JsonObject { ["Sku"] = l.Sku, ["Quantity"] = l.Quantity, ["Price"] = Dec(l.Price) }).ToArray()),
        ["Counters"] = new JsonObject(e.Counters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["Addresses"] = new JsonObject(e.Addresses.Select(kv => KeyValuePair.Create(kv.Key, Address(kv.Value)))),
        ["Amount"] = Dec(e.Amount),
        ["MaybeAmount"] = e.MaybeAmount is { } m ? Dec(m) : null,
        ["CreatedMillis"] = Micros(e.CreatedMillis, millis: true),
        ["CreatedMicros"] = Micros(e.CreatedMicros, millis: false),
        ["UpdatedMillis"] = Micros(new DateTimeOffset(e.UpdatedMillis), millis: true),
        ["UpdatedMicros"] = Micros(new DateTimeOffset(e.UpdatedMicros), millis: false),
        ["Day"] = e.Day.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber,
        ["Id"] = e.Id.ToString(),
        ["MaybeId"] = e.MaybeId?.ToString(),
        ["Matrix"] = new JsonArray(e.Matrix.Select(r => (JsonNode?)new JsonArray(r.Select(x => (JsonNode?)x).ToArray())).ToArray()),
        ["MaybeStatus"] = e.MaybeStatus?.ToString(),
    };

    /// <summary>Structural comparison; numbers by value (doubles exactly, decimal strings numerically).</summary>
    private static void AssertNormalizedEqual(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}");
            return;
        }

        switch (expected)
        {
            case JsonObject eo:
                var ao = Assert.IsType<JsonObject>(actual);
                Assert.Equal(eo.Select(k => k.Key).OrderBy(k => k, StringComparer.Ordinal), ao.Select(k => k.Key).OrderBy(k => k, StringComparer.Ordinal));
                foreach (var (key, value) in eo)
                {
                    AssertNormalizedEqual(value, ao[key], path + "." + key);
                }

                break;
            case JsonArray ea:
                var aa = Assert.IsType<JsonArray>(actual);
                Assert.Equal(ea.Count, aa.Count);
                for (int i = 0; i < ea.Count; i++)
                {
                    AssertNormalizedEqual(ea[i], aa[i], $"{path}[{i}]");
                }

                break;
            default:
                var ev = expected.AsValue();
                var av = actual.AsValue();
                if (ev.TryGetValue(out string? es))
                {
                    string asText = av.ToString();
                    if (decimal.TryParse(es, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal ed) && path.Contains("Amount") | path.Contains("Price"))
                    {
                        Assert.Equal(ed, decimal.Parse(asText, NumberStyles.Float, CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        Assert.True(es == asText, $"{path}: expected '{es}', got '{asText}'");
                    }
                }
                else if (ev.TryGetValue(out bool eb))
                {
                    Assert.Equal(eb, av.GetValue<bool>());
                }
                else if (ev.TryGetValue(out double ed2) && (path.EndsWith("Float") || path.EndsWith("Double") || path.EndsWith(".X") || path.EndsWith(".Y")))
                {
                    Assert.Equal(ed2, av.GetValue<double>());
                }
                else
                {
                    Assert.True(expected.ToJsonString() == actual.ToJsonString(), $"{path}: expected {expected.ToJsonString()}, got {actual.ToJsonString()}");
                }

                break;
        }
    }
}
