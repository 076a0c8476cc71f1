using System.Text.Json;
using Kappa.Avro;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Types;

/// <summary>
/// Field defaults, docs and aliases emitted by the generator: data written before fields existed (and with the old
/// field and record names) resolves to today's type with the defaults, in Kappa and in Apache.Avro 1.12.2.
/// </summary>
public sealed class AvroDefaultsTests
{
    /// <summary>Version 1: the record under its old name, two fields, the second under its old name.</summary>
    private const string V1 = """
        {"type":"record","name":"AccountSettings","namespace":"kappa.legacy","fields":[
          {"name":"Id","type":"long"},
          {"name":"name","type":"string"}]}
        """;

    private static byte[] V1Bytes()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new AvroWriter(buffer);
        writer.WriteLong(7);
        writer.WriteString("Ada");
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Generated_schema_carries_defaults_docs_and_aliases()
    {
        using JsonDocument schema = JsonDocument.Parse(Account.AvroSchemaJson);
        JsonElement root = schema.RootElement;
        Assert.Equal("A customer's account settings.", root.GetProperty("doc").GetString());
        Assert.Equal(["kappa.legacy.AccountSettings"], root.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        JsonElement[] fields = [.. root.GetProperty("fields").EnumerateArray()];
        Assert.Equal("Primary key.", fields[0].GetProperty("doc").GetString());
        Assert.Equal(["name"], fields[1].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.False(fields[0].TryGetProperty("default", out _));
        Assert.Equal(3, fields[2].GetProperty("default").GetInt32());
        Assert.Equal("[\"string\",\"null\"]", fields.Single(f => f.GetProperty("name").GetString() == "Channel").GetProperty("type").GetRawText());
        Assert.Equal("[\"null\",\"string\"]", fields.Single(f => f.GetProperty("name").GetString() == "Note").GetProperty("type").GetRawText());

        // The canonical form has none of it (the spec's [STRIP]), so the fingerprint does not change with docs or defaults.
        Assert.DoesNotContain("default", Account.AvroCanonicalSchema);
        Assert.DoesNotContain("doc", Account.AvroCanonicalSchema);
        Assert.DoesNotContain("aliases", Account.AvroCanonicalSchema);
    }

    [Fact]
    public void Old_data_resolves_to_the_new_type_with_every_default_through_record_and_field_aliases()
    {
        Account account = AvroResolution<Account>.For(V1).Decode(V1Bytes());

        Assert.Equal(7, account.Id);
        Assert.Equal("Ada", account.DisplayName); // field renamed: the reader's alias "name" matches the writer's field
        Assert.Equal(3, account.Retries);
        Assert.Equal(-9000000000, account.Budget);
        Assert.Equal(0.25f, account.Ratio);
        Assert.Equal(1048576.5, account.Limit);
        Assert.True(account.Active);
        Assert.Equal("de-DE ü", account.Locale);
        Assert.Equal(Tier.Gold, account.Tier);
        Assert.Null(account.Note);
        Assert.Equal("web", account.Channel);
        Assert.Equal(42, account.Age);
        Assert.Equal(-1.50m, account.Credit);
        Assert.Equal(new byte[] { 0, 255 }, account.Salt);
        Assert.Equal(new byte[] { 1, (byte)'2' }, account.Pepper);
        Assert.Equal([1, 2, 3], account.Counts);
        Assert.Equal(new Dictionary<string, double> { ["a"] = 1.5, ["b"] = -2 }, account.Weights);
        Assert.Equal(new Place("Main", "Berlin"), account.Home); // nested default: City from Place's own default
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), account.Since);
        Assert.Equal(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + 19000), account.Day);
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), account.Token);
        Assert.Equal(123.456m, account.Fee);
    }

    [Fact]
    public void Without_the_aliases_the_old_data_does_not_resolve()
    {
        // The control for the alias test: the same writer fields under a name the reader does not know fail to resolve.
        string unknown = V1.Replace("{\"name\":\"name\"", "{\"name\":\"nickname\"");
        Assert.NotEqual(V1, unknown);
        var e = Assert.Throws<AvroSchemaResolutionException>(() => AvroResolution<Account>.For(unknown));
        Assert.Contains("DisplayName", e.Message);
    }

    [Fact]
    public void Apache_avro_reads_the_old_data_with_our_schema_to_the_same_values()
    {
        // Apache.Avro 1.12.2 parses the generated schema (defaults, docs, aliases), resolves v1 data against it (the
        // record through its alias) and writes the result with our schema: the bytes equal Kappa's resolved value
        // encoded by the generated codec. Its field aliases are broken (below), so here the field has today's name.
        string writer = V1.Replace("{\"name\":\"name\"", "{\"name\":\"DisplayName\"");
        Assert.NotEqual(V1, writer);
        var readerSchema = global::Avro.Schema.Parse(Account.AvroSchemaJson);
        var reader = new global::Avro.Generic.GenericDatumReader<global::Avro.Generic.GenericRecord>(global::Avro.Schema.Parse(writer), readerSchema);
        global::Avro.Generic.GenericRecord record = reader.Read(null!, new global::Avro.IO.BinaryDecoder(new MemoryStream(V1Bytes())));
        var output = new MemoryStream();
        new global::Avro.Generic.GenericDatumWriter<global::Avro.Generic.GenericRecord>(readerSchema).Write(record, new global::Avro.IO.BinaryEncoder(output));

        Account ours = AvroResolution<Account>.For(writer).Decode(V1Bytes());
        Assert.Equal(Convert.ToHexString(AvroSerializer.SerializeToArray(ours)), Convert.ToHexString(output.ToArray()));
        Assert.Equal(ours, AvroResolution<Account>.For(V1).Decode(V1Bytes()) with { Counts = ours.Counts, Weights = ours.Weights, Pepper = ours.Pepper, Salt = ours.Salt });
    }

    [Fact]
    public void Apache_avro_1_12_2_misreads_a_field_renamed_through_an_alias_where_kappa_does_not()
    {
        // Evidence for the defect worked around above: the writer's field "name" and the reader's alias "name" make
        // Apache.Avro read past the end of the data. Kappa reads it (Old_data_resolves_... asserts the value).
        var reader = new global::Avro.Generic.GenericDatumReader<global::Avro.Generic.GenericRecord>(global::Avro.Schema.Parse(V1), global::Avro.Schema.Parse(Account.AvroSchemaJson));
        var e = Assert.Throws<global::Avro.AvroException>(() => reader.Read(null!, new global::Avro.IO.BinaryDecoder(new MemoryStream(V1Bytes()))));
        Assert.Contains("End of stream", e.Message);
        Assert.Equal("Ada", AvroResolution<Account>.For(V1).Decode(V1Bytes()).DisplayName);
    }

    [Fact]
    public void Python_avro_reads_the_old_data_with_our_schema_to_the_same_values_except_its_bytes_default_defect()
    {
        // python3-avro 1.11.1 resolves v1 data against the generated schema and writes the result with it. It encodes
        // bytes defaults as UTF-8 instead of code points 0-255 (a known defect, see docs/avro.md), so the bytes fields are
        // compared as they should be after that defect: the UTF-8 of "\u00ff" is c3 bf.
        string script = """
import sys, io, json, avro.schema, avro.io
case = json.loads(sys.stdin.read())
writer = avro.schema.parse(case['writer'])
reader = avro.schema.parse(case['reader'])
datum = avro.io.DatumReader(writer, reader).read(avro.io.BinaryDecoder(io.BytesIO(bytes.fromhex(case['hex']))))
print(json.dumps({k: (v.hex() if isinstance(v, bytes) else str(v)) for k, v in datum.items()}))
""";
        // python3-avro 1.11.1's DatumReader matches neither records nor fields by their aliases, so its writer has today's names.
        string writer = V1.Replace("\"name\":\"AccountSettings\",\"namespace\":\"kappa.legacy\"", "\"name\":\"Account\",\"namespace\":\"kappa.types\"")
            .Replace("{\"name\":\"name\"", "{\"name\":\"DisplayName\"");
        Assert.NotEqual(V1, writer);
        string input = JsonSerializer.Serialize(new { writer, reader = Account.AvroSchemaJson, hex = Convert.ToHexStringLower(V1Bytes()) });
        using JsonDocument result = JsonDocument.Parse(PythonRunner.Run(script, input));
        JsonElement d = result.RootElement;
        Assert.Equal("7", d.GetProperty("Id").GetString());
        Assert.Equal("Ada", d.GetProperty("DisplayName").GetString());
        Assert.Equal("3", d.GetProperty("Retries").GetString());
        Assert.Equal("-9000000000", d.GetProperty("Budget").GetString());
        Assert.Equal("0.25", d.GetProperty("Ratio").GetString());
        Assert.Equal("1048576.5", d.GetProperty("Limit").GetString());
        Assert.Equal("True", d.GetProperty("Active").GetString());
        Assert.Equal("de-DE ü", d.GetProperty("Locale").GetString());
        Assert.Equal("Gold", d.GetProperty("Tier").GetString());
        Assert.Equal("None", d.GetProperty("Note").GetString());
        Assert.Equal("web", d.GetProperty("Channel").GetString());
        Assert.Equal("42", d.GetProperty("Age").GetString());
        Assert.Equal("00c3bf", d.GetProperty("Salt").GetString()); // the defect: ours is 00ff
        Assert.Equal("[1, 2, 3]", d.GetProperty("Counts").GetString());
        Assert.Equal("{'a': 1.5, 'b': -2.0}", d.GetProperty("Weights").GetString());
        Assert.Equal("{'Street': 'Main', 'City': 'Berlin'}", d.GetProperty("Home").GetString());
        Assert.Equal("00000000-0000-0000-0000-000000000001", d.GetProperty("Token").GetString());
    }
}
