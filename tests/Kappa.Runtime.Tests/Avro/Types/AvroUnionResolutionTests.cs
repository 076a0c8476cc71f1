using System.Buffers;
using System.Text.Json;
using Kappa.Avro;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Types;

/// <summary>
/// [AvroUnion] members under schema evolution: a branch added at the end keeps older data readable, a former single
/// record type reads into the union's matching branch, and the compatibility checker and python3-avro agree.
/// </summary>
public sealed class AvroUnionResolutionTests
{
    private const string Card = """{"type":"record","name":"Card","namespace":"kappa.types","fields":[{"name":"Number","type":"string"}]}""";
    private const string Cash = """{"type":"record","name":"Cash","namespace":"kappa.types","fields":[{"name":"Cents","type":"long"}]}""";

    /// <summary>v1: the union had two branches (GiftCard was added later).</summary>
    private static readonly string V1 = $$"""{"type":"record","name":"Checkout","namespace":"kappa.types","fields":[{"name":"Id","type":"string"},{"name":"Payment","type":[{{Card}},{{Cash}}]}]}""";

    /// <summary>v0: the member was a Cash record, not a union.</summary>
    private static readonly string V0 = $$"""{"type":"record","name":"Checkout","namespace":"kappa.types","fields":[{"name":"Id","type":"string"},{"name":"Payment","type":{{Cash}}}]}""";

    private static byte[] Write(bool union)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new AvroWriter(buffer);
        writer.WriteString("c1");
        if (union)
        {
            writer.WriteLong(1); // Cash
        }

        writer.WriteLong(99);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Older_data_resolves_into_the_union()
    {
        Assert.Equal(new Checkout("c1", new Cash(99)), AvroResolution<Checkout>.For(V1).Decode(Write(union: true)));
        Assert.Equal(new Checkout("c1", new Cash(99)), AvroResolution<Checkout>.For(V0).Decode(Write(union: false)));
    }

    [Fact]
    public void Adding_a_branch_is_backward_but_not_forward_compatible()
    {
        AvroSchema today = AvroSchemaParser.Parse(Checkout.AvroSchemaJson);
        Assert.Empty(AvroCompatibility.CanRead(today, AvroSchemaParser.Parse(V1)));
        Assert.Empty(AvroCompatibility.CanRead(today, AvroSchemaParser.Parse(V0)));
        IReadOnlyList<AvroIncompatibility> problems = AvroCompatibility.CanRead(AvroSchemaParser.Parse(V1), today);
        Assert.NotEmpty(problems);
        Assert.Contains(problems, p => p.ToString()!.Contains("GiftCard", StringComparison.Ordinal));
    }

    [Fact]
    public void Python_avro_resolves_the_older_data_to_the_same_bytes()
    {
        const string script = """
import sys, io, json, avro.schema, avro.io
for line in sys.stdin:
    case = json.loads(line)
    writer = avro.schema.parse(case['writer'])
    reader = avro.schema.parse(case['reader'])
    datum = avro.io.DatumReader(writer, reader).read(avro.io.BinaryDecoder(io.BytesIO(bytes.fromhex(case['hex']))))
    out = io.BytesIO()
    avro.io.DatumWriter(reader).write(datum, avro.io.BinaryEncoder(out))
    print(out.getvalue().hex())
""";
        var cases = new[] { (V1, Write(union: true)), (V0, Write(union: false)) };
        string input = string.Join("\n", cases.Select(c => JsonSerializer.Serialize(new { writer = c.Item1, reader = Checkout.AvroSchemaJson, hex = Convert.ToHexStringLower(c.Item2) })));
        string[] results = PythonRunner.Run(script, input + "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, results.Length);
        for (int i = 0; i < cases.Length; i++)
        {
            Checkout ours = AvroResolution<Checkout>.For(cases[i].Item1).Decode(cases[i].Item2);
            Assert.Equal(Convert.ToHexStringLower(AvroSerializer.SerializeToArray(ours)), results[i].Trim());
        }
    }
}
