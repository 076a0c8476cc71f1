using Kappa.Avro;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Types;

/// <summary>AvroUnion&lt;T1, T2[, T3]&gt; members: unions of any branches, round trips, errors and interop.</summary>
public sealed class AvroValueUnionTests
{
    private static IEnumerable<Reading> Samples() =>
    [
        new(42, 7L, new() { ["a"] = 1.5, ["b"] = true }, "x"),
        new("text", new Card("4111"), [], new Cash(-3)),
        new(int.MinValue, new List<string> { "p", "q" }, new() { ["n"] = double.NegativeInfinity }, "z"),
        new(string.Empty, null, [], string.Empty),
    ];

    private static string Describe(Reading r) =>
        $"{r.Value}|{(r.Extra is { } e ? e.Match(l => "long " + l, c => c.ToString(), l => "list " + string.Join(",", l)) : "null")}|{string.Join(",", r.Flags.Select(kv => kv.Key + "=" + kv.Value.Index + ":" + kv.Value))}|{r.Note.Index}:{r.Note}";

    [Fact]
    public void Values_round_trip_with_their_branch()
    {
        Assert.Equal("""{"type":"record","name":"Reading","namespace":"kappa.types","fields":[{"name":"Value","type":["int","string"]}""", Reading.AvroSchemaJson[..Reading.AvroSchemaJson.IndexOf(",{\"name\":\"Extra\"", StringComparison.Ordinal)]);
        foreach (Reading value in Samples())
        {
            Reading back = AvroSerializer.Deserialize<Reading>(AvroSerializer.SerializeToArray(value));
            Assert.Equal(Describe(value), Describe(back));
        }

        // The branch index is the type-argument position: "text" is branch 1 of ["int","string"].
        byte[] bytes = AvroSerializer.SerializeToArray(new Reading("hi", null, [], "n"));
        Assert.Equal(new byte[] { 2, 4, (byte)'h', (byte)'i', 0, 0, 0, 2, (byte)'n' }, bytes);
    }

    [Fact]
    public void The_default_value_of_the_struct_is_branch_0_with_its_default_and_encodes_only_when_that_is_valid()
    {
        // default(AvroUnion<string, Cash>) holds a null string: not a value of the schema, so encoding names the field.
        var e = Assert.Throws<AvroEncodeException>(() => AvroSerializer.SerializeToArray(new Reading(1, null, [])));
        Assert.Equal("Note", e.FieldName);
        Assert.Equal(0, default(AvroUnion<int, string>).Index);
    }

    [Fact]
    public void A_null_string_branch_is_an_encode_error_and_a_bad_branch_index_a_decode_error()
    {
        var e = Assert.Throws<AvroEncodeException>(() => AvroSerializer.SerializeToArray(new Reading(AvroUnion<int, string>.FromItem2(null!), null, [], "n")));
        Assert.Equal("Value", e.FieldName);
        var d = Assert.Throws<AvroDecodeException>(() => AvroSerializer.Deserialize<Reading>([4, 0, 0, 0, 0]));
        Assert.Equal("Value", d.FieldName);
        Assert.Contains("union branch 2 out of range", d.Message);
    }

    [Fact]
    public void The_default_of_the_first_branch_fills_older_data()
    {
        string older = Reading.AvroSchemaJson[..Reading.AvroSchemaJson.IndexOf(",{\"name\":\"Note\"", StringComparison.Ordinal)] + "]}";
        byte[] full = AvroSerializer.SerializeToArray(new Reading(1, null, [], "ignored"));
        Reading resolved = AvroResolution<Reading>.For(older).Decode(full[..^("ignored".Length + 2)]);
        Assert.Equal(AvroUnion<string, Cash>.FromItem1("none"), resolved.Note);
    }

    [Fact]
    public void Python_avro_and_apache_avro_rewrite_our_bytes_identically()
    {
        var schema = global::Avro.Schema.Parse(Reading.AvroSchemaJson);
        foreach (Reading value in Samples())
        {
            byte[] ours = AvroSerializer.SerializeToArray(value);
            string hex = Convert.ToHexStringLower(ours);
            Assert.Equal(hex, PythonAvro.Run("reencode", Reading.AvroSchemaJson, hex));

            var reader = new global::Avro.Generic.GenericDatumReader<global::Avro.Generic.GenericRecord>(schema, schema);
            global::Avro.Generic.GenericRecord record = reader.Read(null!, new global::Avro.IO.BinaryDecoder(new MemoryStream(ours)));
            var output = new MemoryStream();
            new global::Avro.Generic.GenericDatumWriter<global::Avro.Generic.GenericRecord>(schema).Write(record, new global::Avro.IO.BinaryEncoder(output));
            Assert.Equal(hex, Convert.ToHexStringLower(output.ToArray()));
        }
    }
}
