using System.Text.Json;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Resolution;

/// <summary>
/// Kappa's compatibility checker against an independent one, python3-avro 1.11.1's
/// <c>avro.compatibility.ReaderWriterCompatibilityChecker</c>, on hand-picked tricky pairs and 250 seeded random pairs,
/// each in both directions.
/// </summary>
public sealed class AvroCompatibilityCrossCheckTests
{
    private const string Script = """
import sys, json, avro.schema
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

for line in sys.stdin:
    case = json.loads(line)
    try:
        reader = avro.schema.parse(case['reader'])
        writer = avro.schema.parse(case['writer'])
        result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
        print('1' if result.compatibility is SchemaCompatibilityType.compatible else '0')
    except Exception as e:
        print('ERROR ' + type(e).__name__ + ': ' + str(e).replace('\n', ' '))
""";

    private static IEnumerable<(string A, string B, string What)> Tricky()
    {
        const string node = """{"type":"record","name":"Node","namespace":"t","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}""";
        const string nodeLong = """{"type":"record","name":"Node","namespace":"t","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","Node"]},{"name":"tag","type":"string","default":""}]}""";
        const string nodeNoDefault = """{"type":"record","name":"Node","namespace":"t","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]},{"name":"tag","type":"string"}]}""";
        yield return (node, nodeLong, "recursive record, promotion and defaulted field");
        yield return (node, nodeNoDefault, "recursive record, field without default");
        yield return ("""{"type":"enum","name":"E","symbols":["A","B"]}""", """{"type":"enum","name":"E","symbols":["A","B","C"]}""", "enum symbol added");
        yield return ("""{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}""", """{"type":"enum","name":"E","symbols":["A","B","C"],"default":"A"}""", "enum symbol added, defaults");
        yield return ("\"int\"", "[\"null\",\"int\"]", "union on one side");
        yield return ("[\"null\",\"long\"]", "[\"int\",\"null\"]", "promotion between unions");
        yield return ("[\"string\",\"int\"]", "\"bytes\"", "bytes into a string union");
        yield return ("\"float\"", "\"long\"", "long to float");
        yield return ("""{"type":"array","items":"int"}""", """{"type":"array","items":"double"}""", "array promotion");
        yield return ("""{"type":"map","values":["null","int"]}""", """{"type":"map","values":"long"}""", "map values union");
        yield return ("""{"type":"fixed","name":"F","size":4}""", """{"type":"fixed","name":"F","size":8}""", "fixed size");
        yield return ("""{"type":"record","name":"A","namespace":"t","fields":[]}""", """{"type":"record","name":"B","namespace":"t","aliases":["t.A"],"fields":[]}""", "record alias");
        yield return ("""{"type":"record","name":"A","namespace":"t","fields":[{"name":"x","type":"int"}]}""", """{"type":"record","name":"A","namespace":"t","fields":[{"name":"y","aliases":["x"],"type":"int"}]}""", "field alias");
        yield return ("""{"type":"record","name":"A","namespace":"t","fields":[{"name":"x","type":"int"}]}""", """{"type":"record","name":"A","namespace":"u","fields":[{"name":"x","type":"int"}]}""", "namespace change");
        yield return ("\"null\"", "\"boolean\"", "null and boolean");
        yield return ("""{"type":"record","name":"A","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["X"]}}]}""", """{"type":"record","name":"A","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"],"default":"X"}}]}""", "nested enum with default");
    }

    [Fact]
    public void Kappa_and_python3_avro_agree_on_every_pair_both_ways()
    {
        var pairs = Tricky().ToList();
        var generator = new SchemaPairGenerator(20261203);
        for (int i = 0; i < 250; i++)
        {
            (string a, string b, string what) = generator.Next();
            pairs.Add((a, b, what));
        }

        var checks = new List<(string Reader, string Writer, string What)>();
        foreach ((string a, string b, string what) in pairs)
        {
            checks.Add((a, b, what + " (old reads new)"));
            checks.Add((b, a, what + " (new reads old)"));
        }

        string input = string.Join("\n", checks.Select(c => JsonSerializer.Serialize(new { reader = c.Reader, writer = c.Writer })));
        string[] python = PythonRunner.Run(Script, input + "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(checks.Count, python.Length);
        var disagreements = new List<string>();
        int compatible = 0;
        for (int i = 0; i < checks.Count; i++)
        {
            IReadOnlyList<AvroIncompatibility> ours = AvroCompatibility.CanRead(AvroSchemaParser.Parse(checks[i].Reader), AvroSchemaParser.Parse(checks[i].Writer));
            string mine = ours.Count == 0 ? "1" : "0";
            compatible += ours.Count == 0 ? 1 : 0;
            if (mine != python[i].Trim())
            {
                disagreements.Add($"{checks[i].What}: kappa {mine} ({string.Join("; ", ours)}), python {python[i]}\n  reader {checks[i].Reader}\n  writer {checks[i].Writer}");
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {checks.Count} disagree:\n" + string.Join("\n", disagreements));
        // Both outcomes are well represented, so agreement is not trivial.
        Assert.InRange(compatible, checks.Count / 5, checks.Count * 4 / 5);
    }
}
