using System.Globalization;
using System.Text;
using System.Text.Json;
using Avro;
using Kappa.Avro;
using Kappa.Avro.Schemas;
using Xunit.Abstractions;
using ApacheSchema = Avro.Schema;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// Generated resolving decoders on random schema pairs. The test project's kappa-avro-history.json records, as the
/// history of <see cref="PropModern"/> and <see cref="PropTree"/>, writer schemas evolved at random from their current
/// schemas (<see cref="WriterSchemaEvolution"/>, seeded), so the generator emits a resolving decoder for each at build
/// time. Random data of each writer schema (<see cref="RandomDatum"/>, written by Apache.Avro) must decode through the
/// generated decoder as through the run-time plan: equal values, or both fail; so do corrupted and truncated copies, which
/// raise nothing but AvroDecodeException. (The plan itself is compared with
/// Apache.Avro's GenericDatumReader on random pairs by <see cref="ResolutionPropertyTests"/>.) The recorded schemas are
/// what the seeded evolution gives; after changing the evolution, rewrite them with KAPPA_UPDATE_PROPERTY_HISTORY=1.
/// </summary>
public sealed class GeneratedDecoderPropertyTests(ITestOutputHelper output)
{
    private const int Schemas = 40;
    private const int DataPerSchema = 8;

    private static readonly string HistoryPath = Path.Combine(AppContext.BaseDirectory, "../../../Avro/History/kappa-avro-history.json");

    /// <summary>The seeded random writer schemas of <paramref name="reader"/>: valid for both Kappa and Apache, distinct, none the current one.</summary>
    internal static IReadOnlyList<EvolvedSchema> Cases(ReaderType reader, int seed)
    {
        var random = new Random(seed);
        var cases = new List<EvolvedSchema>();
        var seen = new HashSet<long> { Fingerprint(reader.SchemaJson) };
        for (int attempt = 0; cases.Count < Schemas && attempt < 10 * Schemas; attempt++)
        {
            uint[] entropy = [.. Enumerable.Range(0, random.Next(4, 25)).Select(_ => (uint)random.Next())];
            EvolvedSchema evolved = WriterSchemaEvolution.Evolve(reader.SchemaJson, entropy);
            try
            {
                ApacheSchema.Parse(evolved.DataWriterJson);
                ApacheSchema.Parse(ApacheCompat.WithoutUuidOnFixed(evolved.ApacheWriterJson));
                if (AvroSchemaParser.Parse(evolved.WriterJson) is not AvroRecordSchema record || !((AvroRecordSchema)reader.Schema).AcceptsName(record))
                {
                    continue;
                }
            }
            catch (Exception e) when (e is SchemaParseException or AvroException or ArgumentException or AvroSchemaException)
            {
                continue;
            }

            if (seen.Add(Fingerprint(evolved.WriterJson)))
            {
                cases.Add(evolved);
            }
        }

        return cases;
    }

    private static long Fingerprint(string json) => AvroFingerprint.Compute(AvroCanonicalForm.Of(AvroSchemaParser.Parse(json)));

    private static readonly (ReaderType Reader, int Seed)[] Recorded =
    [
        (new ReaderType<PropModern>(), 1301),
        (new ReaderType<PropTree>(), 1302),
    ];

    [Fact]
    public void The_recorded_random_schemas_are_what_the_seeded_evolution_gives()
    {
        string file = File.ReadAllText(HistoryPath);
        using JsonDocument history = JsonDocument.Parse(file);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((ReaderType reader, int seed) in Recorded)
        {
            IReadOnlyList<EvolvedSchema> cases = Cases(reader, seed);
            Assert.Equal(Schemas, cases.Count);
            string type = $"Kappa.Runtime.Tests.Avro.Properties.{reader.Name}";
            entries[type] = Entry(type, cases);
            JsonElement? recorded = history.RootElement.GetProperty("records").EnumerateArray()
                .Select(r => (JsonElement?)r).FirstOrDefault(r => r!.Value.GetProperty("type").GetString() == type);
            string[] expected = [.. cases.Select(c => FormatFingerprint(Fingerprint(c.WriterJson)))];
            string[] actual = recorded is null ? [] : [.. recorded.Value.GetProperty("schemas").EnumerateArray().Select(s => s.GetProperty("fingerprint").GetString()!)];
            if (!expected.SequenceEqual(actual) && Environment.GetEnvironmentVariable("KAPPA_UPDATE_PROPERTY_HISTORY") != "1")
            {
                Assert.Fail($"the history of {type} in {HistoryPath} is not the seeded random schemas; rewrite it with KAPPA_UPDATE_PROPERTY_HISTORY=1");
            }
        }

        if (Environment.GetEnvironmentVariable("KAPPA_UPDATE_PROPERTY_HISTORY") == "1")
        {
            File.WriteAllText(HistoryPath, WithEntries(file, entries));
        }
    }

    [Fact]
    public void Generated_decoders_of_random_writer_schemas_decode_as_the_runtime_plan()
    {
        int generated = 0, refused = 0, agreed = 0, bothFailed = 0;
        foreach ((ReaderType reader, int seed) in Recorded)
        {
            foreach (EvolvedSchema evolved in Cases(reader, seed))
            {
                (bool usesGenerated, bool resolvable) = reader.Generated(evolved.WriterJson);
                if (!resolvable)
                {
                    // Unresolvable (the generated file says so): both refuse the schema.
                    refused++;
                    continue;
                }

                Assert.True(usesGenerated, $"{reader.Name}: no generated decoder for the recorded schema {evolved}");
                generated++;
                ApacheSchema dataWriter = ApacheSchema.Parse(evolved.DataWriterJson);
                for (int i = 0; i < DataPerSchema; i++)
                {
                    if (ResolutionPropertyTests.TryWrite(dataWriter, unchecked(seed * 31 + generated * DataPerSchema + i)) is not byte[] data)
                    {
                        break;
                    }

                    // The datum, then a corrupted and a truncated copy: only AvroDecodeException may escape (Outcome
                    // lets anything else fail the test), and both paths read the same or both fail.
                    var random = new Random(data.Length * 7919 + i);
                    byte[] corrupted = [.. data];
                    if (corrupted.Length > 0)
                    {
                        corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
                    }

                    foreach (byte[] input in new[] { data, corrupted, data[..random.Next(data.Length + 1)] })
                    {
                        string viaGenerated = reader.Outcome(evolved.WriterJson, input, runtimePlan: false);
                        string viaPlan = reader.Outcome(evolved.WriterJson, input, runtimePlan: true);
                        if (viaPlan.StartsWith("error:", StringComparison.Ordinal))
                        {
                            Assert.True(viaGenerated.StartsWith("error:", StringComparison.Ordinal), $"{reader.Name}: the plan fails ({viaPlan}) but the generated decoder reads {viaGenerated}; datum {Convert.ToHexString(input)}; {evolved}");
                            bothFailed++;
                        }
                        else
                        {
                            Assert.True(viaPlan == viaGenerated, $"{reader.Name}: plan {viaPlan}, generated {viaGenerated}; datum {Convert.ToHexString(input)}; {evolved}");
                            agreed++;
                        }
                    }
                }
            }
        }

        output.WriteLine($"schemas with generated decoders {generated}, unresolvable {refused}; values equal {agreed}, both failed {bothFailed}");
        Assert.True(generated >= 40 && agreed >= 300 && bothFailed >= 300, $"generated {generated}, agreed {agreed}, both failed {bothFailed}");
    }

    private static string FormatFingerprint(long fingerprint) => unchecked((ulong)fingerprint).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>A history entry: the schemas as versions 1..n, one top-level field per line (as the generator writes them).</summary>
    private static string Entry(string type, IReadOnlyList<EvolvedSchema> cases)
    {
        var sb = new StringBuilder();
        sb.Append("    {\n      \"type\": \"").Append(type).Append("\",\n      \"schemas\": [\n");
        for (int v = 0; v < cases.Count; v++)
        {
            using JsonDocument schema = JsonDocument.Parse(cases[v].WriterJson);
            sb.Append("        {\n          \"version\": ").Append(v + 1).Append(",\n          \"fingerprint\": \"")
                .Append(FormatFingerprint(Fingerprint(cases[v].WriterJson))).Append("\",\n          \"schema\": {");
            bool first = true;
            foreach (JsonProperty property in schema.RootElement.EnumerateObject())
            {
                sb.Append(first ? string.Empty : ",").Append(JsonSerializer.Serialize(property.Name)).Append(':');
                first = false;
                if (property.Name != "fields")
                {
                    sb.Append(property.Value.GetRawText());
                    continue;
                }

                sb.Append('[');
                int i = 0;
                foreach (JsonElement field in property.Value.EnumerateArray())
                {
                    sb.Append(i++ == 0 ? "\n" : ",\n").Append("            ").Append(field.GetRawText());
                }

                sb.Append("\n          ]");
            }

            sb.Append("}\n        }").Append(v + 1 < cases.Count ? ",\n" : "\n");
        }

        return sb.Append("      ]\n    }").ToString();
    }

    /// <summary>The history file with these types' entries replaced (or inserted in type order).</summary>
    private static string WithEntries(string file, IReadOnlyDictionary<string, string> entries)
    {
        using JsonDocument document = JsonDocument.Parse(file);
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonElement record in document.RootElement.GetProperty("records").EnumerateArray())
        {
            string type = record.GetProperty("type").GetString()!;
            int start = file.IndexOf($"    {{\n      \"type\": \"{type}\"", StringComparison.Ordinal);
            int end = file.IndexOf("\n    }", start, StringComparison.Ordinal) + "\n    }".Length;
            all[type] = file[start..end];
        }

        foreach ((string type, string entry) in entries)
        {
            all[type] = entry;
        }

        return "{\n  \"version\": 1,\n  \"records\": [\n" + string.Join(",\n", all.Values) + "\n  ]\n}\n";
    }
}
