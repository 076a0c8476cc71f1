using Kappa.Avro;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.History;

/// <summary>
/// HistoryParcel's enum lost the symbol Returned and has [AvroEnumDefault(Unknown)]: data written with version 1 of its
/// history reads Returned as Unknown through the generated resolving decoder, the run-time plan and Apache.Avro alike.
/// </summary>
public sealed class EnumDefaultHistoryTests
{
    private static readonly V1.HistoryParcel[] Written =
    [
        new("a", V1.HistoryParcelState.Returned),
        new("b", V1.HistoryParcelState.Shipped),
        new("c", V1.HistoryParcelState.Placed),
        new("d", V1.HistoryParcelState.Unknown),
    ];

    private static readonly HistoryParcel[] Expected =
    [
        new("a", HistoryParcelState.Unknown),
        new("b", HistoryParcelState.Shipped),
        new("c", HistoryParcelState.Placed),
        new("d", HistoryParcelState.Unknown),
    ];

    [Fact]
    public void A_writer_symbol_the_reader_lacks_reads_as_the_default_through_the_generated_decoder_and_the_plan()
    {
        AvroResolution<HistoryParcel> generated = AvroResolution<HistoryParcel>.For(V1.HistoryParcel.AvroSchemaJson);
        AvroResolution<HistoryParcel> plan = AvroResolution<HistoryParcel>.WithRuntimePlan(AvroSchemaParser.Parse(V1.HistoryParcel.AvroSchemaJson));
        Assert.True(generated.UsesGeneratedDecoder, "version 1 of HistoryParcel is recorded, so its generated decoder must be used");
        Assert.False(plan.UsesGeneratedDecoder);

        for (int i = 0; i < Written.Length; i++)
        {
            byte[] data = AvroSerializer.SerializeToArray(Written[i]);
            Assert.Equal(Expected[i], generated.Decode(data));
            Assert.Equal(Expected[i], plan.Decode(data));
        }
    }

    [Fact]
    public void Apache_Avro_resolves_version_1_to_the_same_symbols()
    {
        var reader = new global::Avro.Generic.GenericDatumReader<global::Avro.Generic.GenericRecord>(
            global::Avro.Schema.Parse(V1.HistoryParcel.AvroSchemaJson),
            global::Avro.Schema.Parse(HistoryParcel.AvroSchemaJson));
        for (int i = 0; i < Written.Length; i++)
        {
            byte[] data = AvroSerializer.SerializeToArray(Written[i]);
            global::Avro.Generic.GenericRecord record = reader.Read(null!, new global::Avro.IO.BinaryDecoder(new MemoryStream(data)));
            Assert.Equal(Expected[i].State.ToString(), Assert.IsType<global::Avro.Generic.GenericEnum>(record["State"]).Value);
        }
    }

    [Fact]
    public void The_recorded_versions_are_the_old_shape_and_todays_schema_with_its_enum_default()
    {
        string file = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../Avro/History/kappa-avro-history.json"));
        foreach (string json in new[] { V1.HistoryParcel.AvroSchemaJson, HistoryParcel.AvroSchemaJson })
        {
            string fingerprint = unchecked((ulong)AvroFingerprint.Compute(AvroCanonicalForm.Of(AvroSchemaParser.Parse(json)))).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"\"fingerprint\": \"{fingerprint}\"", file, StringComparison.Ordinal);
        }

        Assert.Contains("\"symbols\":[\"Unknown\",\"Placed\",\"Shipped\"],\"default\":\"Unknown\"}", file, StringComparison.Ordinal);
    }
}
