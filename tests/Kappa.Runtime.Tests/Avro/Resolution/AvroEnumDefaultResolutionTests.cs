using System.Text.Json.Nodes;
using Kappa.Avro;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Resolution;

/// <summary>
/// [AvroEnumDefault] on a reader's enum (Avro 1.12 "Schema Resolution": a writer symbol the reader's enum lacks takes
/// the reader's default, otherwise an error is signalled), through the run-time plan, against Apache.Avro 1.12.2.
/// </summary>
public sealed class AvroEnumDefaultResolutionTests
{
    /// <summary>A newer writer: the reader's schema with one more symbol, Returned, at the end and no enum default.</summary>
    private static string WriterWithReturned(string readerSchemaJson)
    {
        JsonObject root = JsonNode.Parse(readerSchemaJson)!.AsObject();
        JsonObject state = root["fields"]![1]!["type"]!.AsObject();
        state["symbols"]!.AsArray().Add("Returned");
        state.Remove("default");
        return root.ToJsonString();
    }

    private static byte[] Written(string writer, string id, string symbol) =>
        ResolutionCase.Encode(writer, $$"""{"Id":"{{id}}","State":"{{symbol}}"}""");

    [Fact]
    public void The_generated_schema_carries_the_enum_default_after_the_symbols()
    {
        Assert.Contains("\"symbols\":[\"Unknown\",\"Placed\",\"Shipped\"],\"default\":\"Unknown\"}", Parcel.AvroSchemaJson, StringComparison.Ordinal);
        Assert.DoesNotContain("\"default\"", StrictParcel.AvroSchemaJson, StringComparison.Ordinal);
        AvroEnumSchema state = Assert.IsType<AvroEnumSchema>(Assert.IsType<AvroRecordSchema>(AvroSchemaParser.Parse(Parcel.AvroSchemaJson)).Fields[1].Schema);
        Assert.Equal("Unknown", state.DefaultSymbol);
    }

    [Fact]
    public void The_enum_default_does_not_change_the_fingerprint()
    {
        // The Parsing Canonical Form drops "default": the schema with and without it has one fingerprint.
        JsonObject root = JsonNode.Parse(Parcel.AvroSchemaJson)!.AsObject();
        Assert.True(root["fields"]![1]!["type"]!.AsObject().Remove("default"));
        string without = root.ToJsonString();
        Assert.Equal(AvroFingerprint.Compute(AvroCanonicalForm.Of(AvroSchemaParser.Parse(without))), Parcel.AvroFingerprint);
        Assert.Equal(AvroFingerprint.Compute(AvroCanonicalForm.Of(AvroSchemaParser.Parse(Parcel.AvroSchemaJson))), Parcel.AvroFingerprint);
    }

    [Fact]
    public void A_writer_symbol_the_reader_lacks_reads_as_the_readers_enum_default()
    {
        string writer = WriterWithReturned(Parcel.AvroSchemaJson);
        AvroResolution<Parcel> resolution = AvroResolution<Parcel>.For(writer);
        Assert.False(resolution.UsesGeneratedDecoder);

        Assert.Equal(new Parcel("p1", ParcelState.Unknown), resolution.Decode(Written(writer, "p1", "Returned")));

        // Symbols the reader has keep their own value.
        Assert.Equal(new Parcel("p2", ParcelState.Shipped), resolution.Decode(Written(writer, "p2", "Shipped")));
        Assert.Equal(new Parcel("p3", ParcelState.Placed), resolution.Decode(Written(writer, "p3", "Placed")));
    }

    [Fact]
    public void Without_the_enum_default_the_same_data_is_a_decode_error_naming_the_symbol()
    {
        string writer = WriterWithReturned(StrictParcel.AvroSchemaJson);
        AvroResolution<StrictParcel> resolution = AvroResolution<StrictParcel>.For(writer);
        Assert.Equal(new StrictParcel("p2", StrictParcelState.Shipped), resolution.Decode(Written(writer, "p2", "Shipped")));

        AvroDecodeException e = Assert.Throws<AvroDecodeException>(() => resolution.Decode(Written(writer, "p1", "Returned")));
        Assert.Equal(
            "Cannot decode Avro StrictParcel.State at byte 3: enum symbol 'Returned' is not a symbol of the reader's Kappa.Runtime.Tests.Avro.Resolution.StrictParcelState and it has no default",
            e.Message);
        Assert.Equal("State", e.FieldName);
    }

    [Fact]
    public void The_compatibility_check_accepts_the_extra_writer_symbol_only_with_the_enum_default()
    {
        AvroSchema reader = AvroSchemaParser.Parse(Parcel.AvroSchemaJson);
        Assert.Empty(AvroCompatibility.Check(reader, [AvroSchemaParser.Parse(WriterWithReturned(Parcel.AvroSchemaJson))], AvroCompatibilityMode.Backward));

        AvroSchema strict = AvroSchemaParser.Parse(StrictParcel.AvroSchemaJson);
        AvroCompatibilityViolation violation = Assert.Single(AvroCompatibility.Check(strict, [AvroSchemaParser.Parse(WriterWithReturned(StrictParcel.AvroSchemaJson))], AvroCompatibilityMode.Backward));
        Assert.Contains(violation.Incompatibilities, i => i.Reason.Contains("lacks the writer's symbols Returned and has no default", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Returned", "Unknown")]
    [InlineData("Shipped", "Shipped")]
    [InlineData("Unknown", "Unknown")]
    public void Apache_Avro_resolves_the_pair_to_the_same_symbol(string written, string expected)
    {
        string writer = WriterWithReturned(Parcel.AvroSchemaJson);
        byte[] data = Written(writer, "p", written);
        var apache = new global::Avro.Generic.GenericDatumReader<global::Avro.Generic.GenericRecord>(
            global::Avro.Schema.Parse(writer),
            global::Avro.Schema.Parse(Parcel.AvroSchemaJson));
        global::Avro.Generic.GenericRecord record = apache.Read(null!, new global::Avro.IO.BinaryDecoder(new MemoryStream(data)));
        string apacheSymbol = Assert.IsType<global::Avro.Generic.GenericEnum>(record["State"]).Value;

        Assert.Equal(expected, apacheSymbol);
        Assert.Equal(expected, AvroResolution<Parcel>.For(writer).Decode(data).State.ToString());
    }

    [Fact]
    public void A_default_that_is_not_a_symbol_is_rejected_by_Kappas_parser_and_by_Apache_Avro()
    {
        // Why KAPPA016 is a build error: such a schema would be refused at run time.
        string schema = Parcel.AvroSchemaJson.Replace("\"default\":\"Unknown\"", "\"default\":\"Lost\"", StringComparison.Ordinal);
        Assert.NotEqual(Parcel.AvroSchemaJson, schema);
        AvroSchemaException kappa = Assert.Throws<AvroSchemaException>(() => AvroSchemaParser.Parse(schema));
        Assert.Contains("default 'Lost' is not one of its symbols", kappa.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<global::Avro.AvroException>(() => global::Avro.Schema.Parse(schema));
    }

    [Fact]
    public void Apache_Avro_also_fails_without_the_enum_default()
    {
        string writer = WriterWithReturned(StrictParcel.AvroSchemaJson);
        var apache = new global::Avro.Generic.GenericDatumReader<global::Avro.Generic.GenericRecord>(
            global::Avro.Schema.Parse(writer),
            global::Avro.Schema.Parse(StrictParcel.AvroSchemaJson));
        byte[] data = Written(writer, "p", "Returned");
        var e = Assert.Throws<global::Avro.AvroException>(() => apache.Read(null!, new global::Avro.IO.BinaryDecoder(new MemoryStream(data))));
        Assert.Contains("Returned", e.Message, StringComparison.Ordinal);
    }
}
