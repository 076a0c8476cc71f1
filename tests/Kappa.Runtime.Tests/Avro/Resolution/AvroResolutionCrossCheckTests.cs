using System.Text.Json;

namespace Kappa.Runtime.Tests.Avro.Resolution;

/// <summary>
/// Kappa's resolution against the Apache Avro reference implementation (python3-avro 1.11.1): python reads the writer's
/// bytes with <c>DatumReader(writer, reader)</c> and writes the result with the reader schema; those bytes must equal
/// Kappa's resolved bytes, case by case.
/// </summary>
public sealed class AvroResolutionCrossCheckTests
{
    private const string Script = """
import sys, io, json, avro.schema, avro.io

for line in sys.stdin:
    case = json.loads(line)
    try:
        writer = avro.schema.parse(case['writer'])
        reader = avro.schema.parse(case['reader'])
        datum = avro.io.DatumReader(writer, reader).read(avro.io.BinaryDecoder(io.BytesIO(bytes.fromhex(case['hex']))))
        out = io.BytesIO()
        avro.io.DatumWriter(reader).write(datum, avro.io.BinaryEncoder(out))
        print('OK ' + out.getvalue().hex())
    except Exception as e:
        print('ERROR ' + type(e).__name__ + ': ' + str(e).replace('\n', ' '))
""";

    [Fact]
    public void Resolved_bytes_equal_the_reference_implementation_for_every_case()
    {
        List<ResolutionCase> cases = ResolutionCase.CrossChecked().ToList();
        Assert.True(cases.Count >= 50, $"only {cases.Count} cases");
        string input = string.Join("\n", cases.Select(c => JsonSerializer.Serialize(new { writer = c.Writer, reader = c.Reader, hex = Convert.ToHexStringLower(c.WriterBytes()) })));
        string[] results = PythonRunner.Run(Script, input + "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Count, results.Length);
        var mismatches = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            ResolutionCase c = cases[i];
            string ours = "OK " + Convert.ToHexStringLower(c.Resolve());
            if (c.PythonDiffers is null)
            {
                if (ours != results[i].Trim())
                {
                    mismatches.Add($"{c.Name}: kappa {ours}, python {results[i]}");
                }

                continue;
            }

            string expected = "OK " + (c.ExpectedHex ?? Convert.ToHexStringLower(ResolutionCase.Encode(c.Reader, c.Expected!)));
            if (ours != expected)
            {
                mismatches.Add($"{c.Name}: kappa {ours}, the spec {expected}");
            }

            if (!results[i].Contains(c.PythonDiffers, StringComparison.Ordinal))
            {
                mismatches.Add($"{c.Name}: python no longer shows the documented defect '{c.PythonDiffers}': {results[i]}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }
}
