using Kappa.Avro;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Resolution;

public sealed class AvroResolutionTests
{
    /// <summary>An older Account: reordered fields, int Id, float Balance, a removed field, another enum order, bytes/string swapped, no Note.</summary>
    private const string WriterV1 = """
        {"type":"record","name":"Account","namespace":"kappa.res.typed","fields":[
          {"name":"Name","type":"string"},
          {"name":"Id","type":"int"},
          {"name":"Legacy","type":{"type":"array","items":"string"}},
          {"name":"Balance","type":"float"},
          {"name":"Tier","type":{"type":"enum","name":"Tier","namespace":"old","symbols":["Gold","Bronze","Platinum"]}},
          {"name":"Scores","type":{"type":"array","items":"int"}},
          {"name":"Limits","type":{"type":"map","values":"int"}},
          {"name":"Contact","type":{"type":"record","name":"Contact","fields":[
            {"name":"Email","type":"bytes"},{"name":"Phone","type":"string"},{"name":"Extra","type":"int"}]}}]}
        """;

    private const string DatumV1 = """
        {"Name":"ann","Id":7,"Legacy":["x","y"],"Balance":2.5,"Tier":"Bronze","Scores":[1,-2],"Limits":{"a":3,"b":-4},
         "Contact":{"Email":"a@b","Phone":"555","Extra":1}}
        """;

    [Fact]
    public void Typed_reader_reads_an_older_writer_schema()
    {
        AvroResolution<Account> resolution = AvroResolution<Account>.For(WriterV1);
        Assert.False(resolution.IsIdentity);

        Account a = resolution.Decode(ResolutionCase.Encode(WriterV1, DatumV1));

        Assert.Equal(7L, a.Id);
        Assert.Equal("ann", a.Name);
        Assert.Equal(2.5, a.Balance);
        Assert.Equal(Tier.Bronze, a.Tier);
        Assert.Equal([1L, -2L], a.Scores);
        Assert.Equal(new Dictionary<string, double> { ["a"] = 3, ["b"] = -4 }, a.Limits);
        Assert.Null(a.Note);
        Assert.Equal("a@b", a.Contact.Email);
        Assert.Equal("555"u8.ToArray(), a.Contact.Phone);
    }

    [Fact]
    public void Plan_copies_same_type_fields_as_written_and_reports_errors_at_writer_offsets()
    {
        // Today's Account plus a writer-only int at the end: the plan copies every other field as it is.
        var writerSchema = System.Text.Json.Nodes.JsonNode.Parse(Account.AvroSchemaJson)!.AsObject();
        writerSchema["fields"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["name"] = "Extra", ["type"] = "int" });
        AvroResolution<Account> resolution = AvroResolution<Account>.For(AvroSchemaParser.Parse(writerSchema.ToJsonString()));
        Assert.False(resolution.IsIdentity);
        Assert.False(resolution.UsesGeneratedDecoder);
        var account = new Account(1, "n", 1.5, Tier.Gold, [3], new() { ["k"] = 1 }, "note", new Contact("e", [1, 2]));
        byte[] canonical = AvroSerializer.SerializeToArray(account);
        Assert.Equal(0x02, canonical[0]); // Id 1
        Assert.Equal((byte)'n', canonical[2]); // Name "n" after its length byte

        // Id written in two bytes (a longer varint than needed is still the value 1), then the writer-only int.
        byte[] overlong = [0x82, 0x00, .. canonical.AsSpan(1), 0x02];
        Account back = resolution.Decode(overlong);
        Assert.Equal(AvroSerializer.SerializeToArray(account), AvroSerializer.SerializeToArray(back));

        // Name is not UTF-8: the error names the field and its offset in the writer's bytes (after the two-byte Id).
        overlong[3] = 0xFF;
        AvroDecodeException e = Assert.Throws<AvroDecodeException>(() => resolution.Decode(overlong));
        Assert.Equal("Name", e.FieldName);
        Assert.Equal(2, e.Offset);
    }

    [Fact]
    public void Plans_are_cached_per_writer_schema_and_same_schema_is_identity()
    {
        Assert.Same(AvroResolution<Account>.For(WriterV1), AvroResolution<Account>.For(WriterV1));
        AvroResolution<Account> same = AvroResolution<Account>.For(Account.AvroSchemaJson);
        Assert.True(same.IsIdentity);
        var account = new Account(1, "n", 1.5, Tier.Gold, [3], new() { ["k"] = 1 }, "note", new Contact("e", [1, 2]));
        Account back = same.Decode(AvroSerializer.SerializeToArray(account));
        Assert.Equal(account.Note, back.Note);
        Assert.Equal(account.Contact.Phone, back.Contact.Phone);
    }

    [Fact]
    public void Unknown_enum_symbol_without_a_reader_default_is_a_decode_error_naming_the_symbol()
    {
        byte[] data = ResolutionCase.Encode(WriterV1, DatumV1.Replace("\"Bronze\"", "\"Platinum\"", StringComparison.Ordinal));
        AvroDecodeException e = Assert.Throws<AvroDecodeException>(() => AvroResolution<Account>.For(WriterV1).Decode(data));
        Assert.Contains("'Platinum'", e.Message, StringComparison.Ordinal);
        Assert.Equal("Tier", e.FieldName);
    }

    [Fact]
    public void Missing_reader_field_without_default_names_both_schemas_and_the_field()
    {
        string writer = WriterV1.Replace("""{"name":"Name","type":"string"},""", string.Empty, StringComparison.Ordinal);
        AvroSchemaResolutionException e = Assert.Throws<AvroSchemaResolutionException>(() => AvroResolution<Account>.For(writer));
        Assert.Equal("Account.Name", e.FieldPath);
        Assert.Contains("writer schema kappa.res.typed.Account", e.Message, StringComparison.Ordinal);
        Assert.Contains("reader schema kappa.res.typed.Account", e.Message, StringComparison.Ordinal);
        Assert.Contains("has no default", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"Id","type":"string"}""", "Account.Id", "cannot be read as long")]
    [InlineData("""{"name":"Id","type":"double"}""", "Account.Id", "cannot be read as long")]
    [InlineData("""{"name":"Id","type":["null","string"]}""", "Account.Id", null)]
    public void Unresolvable_field_types_are_errors_naming_the_field(string idField, string path, string? reason)
    {
        string writer = WriterV1.Replace("""{"name":"Id","type":"int"}""", idField, StringComparison.Ordinal);
        if (reason is null)
        {
            // A writer union fails only when a record uses the unreadable branch (the spec's rule).
            AvroResolution<Account> resolution = AvroResolution<Account>.For(writer);
            byte[] data = ResolutionCase.Encode(writer, DatumV1.Replace("\"Id\":7", "\"Id\":\"seven\"", StringComparison.Ordinal));
            AvroDecodeException e = Assert.Throws<AvroDecodeException>(() => resolution.Decode(data));
            Assert.Contains("union branch string cannot be read as long", e.Message, StringComparison.Ordinal);
            return;
        }

        AvroSchemaResolutionException error = Assert.Throws<AvroSchemaResolutionException>(() => AvroResolution<Account>.For(writer));
        Assert.Equal(path, error.FieldPath);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"fixed","name":"F","size":4}""", """{"type":"fixed","name":"F","size":5}""", "size 4 in the writer and 5 in the reader")]
    [InlineData("""{"type":"fixed","name":"F","size":4}""", """{"type":"fixed","name":"G","size":4}""", "names and aliases differ")]
    [InlineData("""{"type":"enum","name":"E","symbols":["A"]}""", """{"type":"enum","name":"X","symbols":["A"]}""", "names and aliases differ")]
    [InlineData("\"long\"", "\"int\"", "cannot be read as int")]
    [InlineData("\"double\"", "\"float\"", "cannot be read as float")]
    [InlineData("\"string\"", "[\"null\",\"int\"]", "matches no branch")]
    [InlineData("""{"type":"record","name":"A","fields":[]}""", """{"type":"record","name":"B","fields":[]}""", "names and aliases differ")]
    public void Unresolvable_schemas_throw_while_planning(string writer, string reader, string reason)
    {
        AvroSchemaResolutionException e = Assert.Throws<AvroSchemaResolutionException>(() => ResolutionCase.Resolve(writer, reader, []));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_match_renamed_records_enums_fixed_and_fields()
    {
        string writer = """{"type":"record","name":"Old","namespace":"n","fields":[{"name":"before","type":"int"},{"name":"e","type":{"type":"enum","name":"E1","symbols":["A","B"]}},{"name":"f","type":{"type":"fixed","name":"F1","size":2}}]}""";
        string reader = """{"type":"record","name":"New","namespace":"n","aliases":["Old"],"fields":[{"name":"after","aliases":["before"],"type":"long"},{"name":"e","type":{"type":"enum","name":"E2","aliases":["n.E1"],"symbols":["B","A"]}},{"name":"f","type":{"type":"fixed","name":"F2","aliases":["F1"],"size":2}}]}""";
        byte[] resolved = ResolutionCase.Resolve(writer, reader, ResolutionCase.Encode(writer, """{"before":-5,"e":"B","f":"xy"}"""));
        Assert.Equal(ResolutionCase.Encode(reader, """{"after":-5,"e":"B","f":"xy"}"""), resolved);
    }

    [Fact]
    public void String_and_bytes_resolve_both_ways()
    {
        string w = """{"type":"record","name":"R","fields":[{"name":"s","type":"string"},{"name":"b","type":"bytes"}]}""";
        string r = """{"type":"record","name":"R","fields":[{"name":"s","type":"bytes"},{"name":"b","type":"string"}]}""";
        byte[] data = ResolutionCase.Encode(w, """{"s":"hi","b":"yo"}""");
        Assert.Equal(data, ResolutionCase.Resolve(w, r, data)); // same encoding, different types
        Assert.Throws<AvroSchemaResolutionException>(() => ResolutionCase.Resolve(w, """{"type":"record","name":"R","fields":[{"name":"s","type":"int"}]}""", data));
    }

    [Fact]
    public void Invalid_reader_default_is_a_planning_error_naming_the_field()
    {
        string w = """{"type":"record","name":"R","fields":[]}""";
        string r = """{"type":"record","name":"R","fields":[{"name":"x","type":"int","default":"nope"}]}""";
        AvroSchemaResolutionException e = Assert.Throws<AvroSchemaResolutionException>(() => ResolutionCase.Resolve(w, r, []));
        Assert.Equal("R.x", e.FieldPath);
        Assert.Contains("default \"nope\" is not a valid int value", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolved_decode_allocates_exactly_what_the_direct_decode_of_the_same_value_allocates()
    {
        AvroResolution<Account> resolution = AvroResolution<Account>.For(WriterV1);
        byte[] writerBytes = ResolutionCase.Encode(WriterV1, DatumV1);
        byte[] readerBytes = AvroSerializer.SerializeToArray(resolution.Decode(writerBytes));
        for (int i = 0; i < 100; i++)
        {
            resolution.Decode(writerBytes);
            AvroSerializer.Deserialize<Account>(readerBytes);
        }

        // Least of three runs each: a one-off runtime allocation (on-stack replacement of a loop on a loaded machine, a
        // constant 208 B) is not the decoder's; an allocation per record shows in every run.
        long direct = AllocationMeasure.LeastOfThreeRuns(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                AvroSerializer.Deserialize<Account>(readerBytes);
            }
        });
        long resolved = AllocationMeasure.LeastOfThreeRuns(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                resolution.Decode(writerBytes);
            }
        });
        Assert.Equal(direct, resolved);
    }

    [Fact]
    public void Random_and_truncated_bytes_only_ever_fail_as_decode_errors()
    {
        AvroResolution<Account> resolution = AvroResolution<Account>.For(WriterV1);
        byte[] valid = ResolutionCase.Encode(WriterV1, DatumV1);
        for (int length = 0; length < valid.Length; length++)
        {
            Assert.Throws<AvroDecodeException>(() => resolution.Decode(valid.AsSpan(0, length)));
        }

        var random = new Random(1234);
        int decoded = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] data = (byte[])valid.Clone();
            if (i % 2 == 0)
            {
                data[random.Next(data.Length)] = (byte)random.Next(256);
            }
            else
            {
                data = new byte[random.Next(64)];
                random.NextBytes(data);
            }

            try
            {
                resolution.Decode(data);
                decoded++;
            }
            catch (AvroDecodeException)
            {
            }
        }

        Assert.InRange(decoded, 1, 4999); // some single-byte corruptions still decode; most inputs do not
    }

    [Fact]
    public void Out_of_order_and_recursive_plans_resolve_deep_lists()
    {
        string w = """{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}""";
        string r = """{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]},{"name":"v","type":"long"}]}""";
        string datum = """{"v":0,"next":null}""";
        string expected = """{"next":null,"v":0}""";
        for (int i = 1; i < 40; i++)
        {
            datum = $$"""{"v":{{i}},"next":{{datum}}}""";
            expected = $$"""{"next":{{expected}},"v":{{i}}}""";
        }

        Assert.Equal(ResolutionCase.Encode(r, expected), ResolutionCase.Resolve(w, r, ResolutionCase.Encode(w, datum)));
    }
}
