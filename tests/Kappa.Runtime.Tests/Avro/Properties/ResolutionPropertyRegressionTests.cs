using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Avro.IO;
using Kappa.Avro;
using Kappa.Avro.Schemas;
using Kappa.Runtime.Tests.Avro.Resolution;
using ApacheSchema = Avro.Schema;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// Cases <see cref="ResolutionPropertyTests"/> found, minimised and fixed, so they run on every build whatever CsCheck
/// draws. Each compares Kappa with Apache.Avro 1.12.2 the way the property test does (Apache gets a one-branch reader
/// union where the writer has a union against a record reader).
/// </summary>
public sealed class ResolutionPropertyRegressionTests
{
    /// <summary>
    /// Found with reader PropNested and the steps [change PropInner.Label to {"type":"array","items":"long"}; wrap
    /// PropNested.Inner (record) in a writer union with null]. The union branch PropInner cannot be read (Label), which
    /// fails only data that uses the branch; but the reader reads PropInner again outside any union (More's items), so the
    /// pair is unresolvable. Kappa's plan builder kept the unfinished PropInner step of the failed branch in its record
    /// cache and reused it for More, so it resolved the pair (and would have read More's items with an empty step).
    /// </summary>
    [Fact]
    public void A_record_unreadable_in_a_writer_union_branch_is_refused_where_the_reader_reads_it_outside_the_union()
    {
        var reader = new ReaderType<PropNested>();
        string writer = WithUnreadableInner(reader.SchemaJson, wrapField: "Inner");

        AvroSchemaResolutionException kappa = Assert.Throws<AvroSchemaResolutionException>(() => reader.Resolve(writer));
        Assert.Contains("PropNested.More[].Label", kappa.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read as string", kappa.Message, StringComparison.Ordinal);

        Assert.Throws<AvroException>(() => new GenericDatumReader<object>(ApacheSchema.Parse(writer), ApacheReader(reader, writer, "kappa.props.PropNested", "Inner")));
    }

    /// <summary>
    /// The same cache with both uses of the record inside unions: the pair resolves (each branch fails only the data that
    /// uses it), and a datum whose second union holds the unreadable record must fail like one whose first union does,
    /// not be read through the failed branch's unfinished step. (Plain schemas through the run-time plan builder.)
    /// </summary>
    [Fact]
    public void A_record_unreadable_in_a_writer_union_branch_fails_its_data_in_every_union_that_uses_it()
    {
        const string reader = """
            {"type":"record","name":"R","fields":[
              {"name":"a","type":["null",{"type":"record","name":"P","fields":[{"name":"x","type":"int"}]}]},
              {"name":"b","type":["null","P"]}]}
            """;
        string writer = reader.Replace("\"int\"", "\"string\"", StringComparison.Ordinal);
        var apache = new GenericDatumReader<object>(ApacheSchema.Parse(writer), ApacheSchema.Parse(reader));

        foreach (string datum in new[] { """{"a":{"x":"s"},"b":null}""", """{"a":null,"b":{"x":"s"}}""" })
        {
            byte[] data = ResolutionCase.Encode(writer, datum);
            AvroDecodeException kappa = Assert.Throws<AvroDecodeException>(() => ResolutionCase.Resolve(writer, reader, data));
            Assert.Contains("the writer's union branch P cannot be read as", kappa.Message, StringComparison.Ordinal);
            Assert.Throws<AvroException>(() => apache.Read(null!, new BinaryDecoder(new MemoryStream(data))));
        }

        // Data that does not use the unreadable branch is read.
        byte[] nulls = ResolutionCase.Encode(writer, """{"a":null,"b":null}""");
        Assert.Equal(ResolutionCase.Encode(reader, """{"a":null,"b":null}"""), ResolutionCase.Resolve(writer, reader, nulls));
        Assert.Null(((GenericRecord)apache.Read(null!, new BinaryDecoder(new MemoryStream(nulls))))["b"]);
    }

    /// <summary>
    /// The reader's schema with PropInner's Label changed to an array of longs (unreadable as the reader's string) and the
    /// field <paramref name="wrapField"/> of the root record (PropInner's first use) wrapped in a writer union with null.
    /// </summary>
    private static string WithUnreadableInner(string readerJson, string wrapField)
    {
        JsonNode root = JsonNode.Parse(readerJson)!;
        JsonObject field = root["fields"]!.AsArray().Select(f => f!.AsObject()).Single(f => (string)f["name"]! == wrapField);
        JsonNode type = field["type"]!;
        JsonObject inner = (type["items"] ?? type).AsObject();
        Assert.Equal("PropInner", (string)inner["name"]!);
        inner["fields"]!.AsArray().Single(f => (string)f!["name"]! == "Label")!["type"] = new JsonObject { ["type"] = "array", ["items"] = "long" };
        field.Remove("type");
        field["type"] = new JsonArray("null", type);
        return root.ToJsonString();
    }

    private static ApacheSchema ApacheReader(ReaderType reader, string writer, string record, string field) =>
        ApacheSchema.Parse(new EvolvedSchema(writer, writer, writer, [], false, [(record, field)]).ApacheReaderJson(reader.SchemaJson));
}
