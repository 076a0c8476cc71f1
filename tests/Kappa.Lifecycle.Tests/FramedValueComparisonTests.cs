using System.Numerics;
using Kappa.Avro.Registry;
using Kappa.Avro.Schemas;
using ApacheGeneric = Avro.Generic;
using ApacheIO = Avro.IO;
using ApacheSchema = Avro.Schema;

namespace Kappa.Lifecycle.Tests;

/// <summary>
/// How verify compares Confluent-framed values: decoded with their writer schemas into one canonical form, so that what
/// a value means decides, not how its schema lays it out. Values are written by Apache Avro (an independent writer).
/// </summary>
public sealed class FramedValueComparisonTests
{
    [Fact]
    public void ValuesThatMeanTheSameUnderDifferentSchemasHaveOneCanonicalForm()
    {
        // Another record name, fields in another order, int promoted to long, union branches swapped, the enum's symbols
        // in another order, a null field that the other schema does not have, and map entries in another order.
        const string A = """
            {"type":"record","name":"Order","namespace":"a","fields":[
              {"name":"Id","type":"int"},
              {"name":"Name","type":["null","string"]},
              {"name":"Kind","type":{"type":"enum","name":"Kind","symbols":["X","Y"]}},
              {"name":"Tags","type":{"type":"map","values":"long"}},
              {"name":"Lines","type":{"type":"array","items":"double"}},
              {"name":"Gone","type":["null","string"],"default":null}]}
            """;
        const string B = """
            {"type":"record","name":"Order2","namespace":"b","fields":[
              {"name":"Tags","type":{"type":"map","values":"long"}},
              {"name":"Kind","type":{"type":"enum","name":"Kind2","symbols":["Y","X","Z"]}},
              {"name":"Name","type":["string","null"]},
              {"name":"Note","type":["null","string"],"default":null},
              {"name":"Lines","type":{"type":"array","items":"double"}},
              {"name":"Id","type":"long"}]}
            """;
        byte[] a = Write(A, r =>
        {
            r.Add("Id", 7);
            r.Add("Name", "ann");
            r.Add("Kind", new ApacheGeneric.GenericEnum((global::Avro.EnumSchema)((global::Avro.RecordSchema)r.Schema)["Kind"].Schema, "Y"));
            r.Add("Tags", new Dictionary<string, object> { ["a"] = 1L, ["b"] = 2L });
            r.Add("Lines", new object[] { 1.5, 0.1 });
            r.Add("Gone", null);
        });
        byte[] b = Write(B, r =>
        {
            r.Add("Tags", new Dictionary<string, object> { ["b"] = 2L, ["a"] = 1L });
            r.Add("Kind", new ApacheGeneric.GenericEnum((global::Avro.EnumSchema)((global::Avro.RecordSchema)r.Schema)["Kind"].Schema, "Y"));
            r.Add("Name", "ann");
            r.Add("Note", null);
            r.Add("Lines", new object[] { 1.5, 0.1 });
            r.Add("Id", 7L);
        });

        string canonicalA = Canonical(A, a);

        Assert.Equal("""{"Id":7,"Kind":"Y","Lines":[1.5,0.1],"Name":"ann","Tags":{"a":1,"b":2}}""", canonicalA);
        Assert.Equal(canonicalA, Canonical(B, b));
    }

    [Fact]
    public void LogicalTypesCompareByWhatTheyDenote()
    {
        // The same instant in millis and micros; a decimal with another scale but the same number; another number.
        Assert.Equal("\"2026-12-03T12:00:00.123Z\"", Canonical("""{"type":"long","logicalType":"timestamp-millis"}""", WriteLong(1_796_299_200_123L)));
        Assert.Equal("\"2026-12-03T12:00:00.123Z\"", Canonical("""{"type":"long","logicalType":"timestamp-micros"}""", WriteLong(1_796_299_200_123_000L)));
        Assert.Equal("\"2026-12-03T12:00:00.123001Z\"", Canonical("""{"type":"long","logicalType":"timestamp-micros"}""", WriteLong(1_796_299_200_123_001L)));
        Assert.Equal("\"2026-12-03T12:00:00.123\"", Canonical("""{"type":"long","logicalType":"local-timestamp-millis"}""", WriteLong(1_796_299_200_123L)));
        Assert.Equal("\"1969-12-31T23:59:59.999Z\"", Canonical("""{"type":"long","logicalType":"timestamp-millis"}""", WriteLong(-1)));
        Assert.Equal("\"2026-12-03\"", Canonical("""{"type":"int","logicalType":"date"}""", WriteInt(20_790)));
        Assert.Equal("\"12:00:00.5\"", Canonical("""{"type":"int","logicalType":"time-millis"}""", WriteInt(43_200_500)));
        Assert.Equal("\"12:00:00.5\"", Canonical("""{"type":"long","logicalType":"time-micros"}""", WriteLong(43_200_500_000L)));

        const string Scale2 = """{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}""";
        const string Scale3Fixed = """{"type":"fixed","name":"D","size":8,"logicalType":"decimal","precision":9,"scale":3}""";
        Assert.Equal("12.34", Canonical(Scale2, WriteBytes(Unscaled(1234, 0))));
        Assert.Equal("12.34", Canonical(Scale3Fixed, WriteFixed(Unscaled(12_340, 8))));
        Assert.Equal("-0.05", Canonical(Scale2, WriteBytes(Unscaled(-5, 0))));
        Assert.Equal("1.234", Canonical(Scale3Fixed, WriteFixed(Unscaled(1234, 8))));

        const string Uuid = """{"type":"string","logicalType":"uuid"}""";
        Assert.Equal("\"0f8fad5b-d9cb-469f-a165-70867728950e\"", Canonical(Uuid, WriteString("0F8FAD5B-D9CB-469F-A165-70867728950E")));
        Assert.Equal("\"0f8fad5b-d9cb-469f-a165-70867728950e\"", Canonical("""{"type":"fixed","name":"U","size":16,"logicalType":"uuid"}""", WriteFixed(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e").ToByteArray(bigEndian: true))));

        // string and bytes are interchangeable in Avro: the same text is the same value.
        Assert.Equal(Canonical("\"string\"", WriteString("abc")), Canonical("\"bytes\"", WriteBytes("abc"u8.ToArray())));
    }

    [Fact]
    public async Task TheFramedReaderDecodesByTheIdInTheFrameAndReportsWhatItCannotRead()
    {
        var registry = new InMemorySchemaRegistry();
        const string V1 = """{"type":"record","name":"Amount","fields":[{"name":"Customer","type":"string"},{"name":"Amount","type":"long"}]}""";
        const string V2 = """{"type":"record","name":"Amount","doc":"v2","fields":[{"name":"Customer","type":"string"},{"name":"Amount","type":"long"},{"name":"Note","type":["null","string"],"default":null}]}""";
        int v1 = await registry.RegisterAsync("amounts-value", V1);
        int v2 = await registry.RegisterAsync("amounts-value", V2); // a new version of the same subject
        Assert.NotEqual(v1, v2);
        Assert.Equal(2, (await registry.GetVersionsAsync("amounts-value")).Count);
        var reader = new FramedOutputValueReader(registry, "amounts.v2");
        byte[] old = Frame(v1, Write(V1, r => { r.Add("Customer", "ann"); r.Add("Amount", 5L); }));
        byte[] same = Frame(v2, Write(V2, r => { r.Add("Customer", "ann"); r.Add("Amount", 5L); r.Add("Note", null); }));
        byte[] noted = Frame(v2, Write(V2, r => { r.Add("Customer", "ann"); r.Add("Amount", 5L); r.Add("Note", "hi"); }));

        Assert.Equal(reader.Read(old), reader.Read(same));
        Assert.NotEqual(reader.Read(old).Fingerprint, reader.Read(noted).Fingerprint);
        Assert.Equal("""{"Amount":5,"Customer":"ann","Note":"hi"}""", reader.Show(noted));

        Assert.Equal("schema id 4242 is not in the schema registry", reader.Read(Frame(4242, [2, 0x61])).Problem);
        Assert.Contains("magic byte 0", reader.Read([1, 0, 0, 0, 1, 2]).Problem, StringComparison.Ordinal);
        Assert.StartsWith($"schema id {v1}: ", reader.Read(old[..^1]).Problem, StringComparison.Ordinal);
        Assert.StartsWith("unreadable: schema id 4242", reader.Show(Frame(4242, [2, 0x61])), StringComparison.Ordinal);
    }

    private static string Canonical(string schema, byte[] data) => AvroValueJson.Canonical(AvroSchemaParser.Parse(schema), data, "test");

    private static byte[] Frame(int id, byte[] body) => [0, (byte)(id >> 24), (byte)(id >> 16), (byte)(id >> 8), (byte)id, .. body];

    private static byte[] Write(string schemaJson, Action<ApacheGeneric.GenericRecord> fill)
    {
        var schema = (global::Avro.RecordSchema)ApacheSchema.Parse(schemaJson);
        var record = new ApacheGeneric.GenericRecord(schema);
        fill(record);
        return Encode(schema, record);
    }

    private static byte[] WriteLong(long value) => Encode(ApacheSchema.Parse("\"long\""), value);

    private static byte[] WriteInt(int value) => Encode(ApacheSchema.Parse("\"int\""), value);

    private static byte[] WriteString(string value) => Encode(ApacheSchema.Parse("\"string\""), value);

    private static byte[] WriteBytes(byte[] value) => Encode(ApacheSchema.Parse("\"bytes\""), value);

    // Fixed values are their bytes, as they are (a fixed has no length prefix).
    private static byte[] WriteFixed(byte[] value) => value;

    /// <summary>Two's-complement big-endian bytes of <paramref name="unscaled"/>, sign-extended to <paramref name="size"/> bytes (0: as few as needed).</summary>
    private static byte[] Unscaled(long unscaled, int size)
    {
        byte[] bytes = new BigInteger(unscaled).ToByteArray(isUnsigned: false, isBigEndian: true);
        if (size == 0 || bytes.Length == size)
        {
            return bytes;
        }

        byte fill = unscaled < 0 ? (byte)0xFF : (byte)0;
        return [.. Enumerable.Repeat(fill, size - bytes.Length), .. bytes];
    }

    private static byte[] Encode(ApacheSchema schema, object value)
    {
        var stream = new MemoryStream();
        new ApacheGeneric.GenericDatumWriter<object>(schema).Write(value, new ApacheIO.BinaryEncoder(stream));
        return stream.ToArray();
    }
}
