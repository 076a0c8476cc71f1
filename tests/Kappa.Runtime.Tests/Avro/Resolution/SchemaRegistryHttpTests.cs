using System.Diagnostics;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Kappa.Avro.Registry;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Resolution;

/// <summary>Confluent's own registry client and Avro serdes, unmodified, against Kappa's HTTP schema registry; and curl.</summary>
public sealed class SchemaRegistryHttpTests
{
    internal const string V1 = """
        {"type":"record","name":"Account","namespace":"kappa.res.typed","fields":[
          {"name":"Name","type":"string"},{"name":"Id","type":"int"},{"name":"Balance","type":"float"},
          {"name":"Tier","type":{"type":"enum","name":"Tier","symbols":["Gold","Bronze"]}},
          {"name":"Scores","type":{"type":"array","items":"int"}},{"name":"Limits","type":{"type":"map","values":"int"}},
          {"name":"Contact","type":{"type":"record","name":"Contact","fields":[{"name":"Email","type":"string"},{"name":"Phone","type":"bytes"}]}}]}
        """;

    internal static readonly string V2 = V1.Replace(
        """{"name":"Name","type":"string"},""",
        """{"name":"Name","type":"string"},{"name":"Note","type":["null","string"],"default":null},""",
        StringComparison.Ordinal);

    internal static GenericRecord Record(string schemaJson, string name, int id, string? note)
    {
        var schema = (global::Avro.RecordSchema)global::Avro.Schema.Parse(schemaJson);
        var contactSchema = (global::Avro.RecordSchema)schema["Contact"].Schema;
        var contact = new GenericRecord(contactSchema);
        contact.Add("Email", name + "@x");
        contact.Add("Phone", new byte[] { 1, 2 });
        var record = new GenericRecord(schema);
        record.Add("Name", name);
        record.Add("Id", id);
        record.Add("Balance", 1.5f);
        record.Add("Tier", new GenericEnum((global::Avro.EnumSchema)schema["Tier"].Schema, "Bronze"));
        record.Add("Scores", new[] { id, -id });
        record.Add("Limits", new Dictionary<string, object> { ["l"] = id * 10 });
        record.Add("Contact", contact);
        if (schema.Contains("Note"))
        {
            record.Add("Note", note);
        }

        return record;
    }

    [Fact]
    public async Task Confluent_serializer_writes_v1_and_v2_kappa_reads_them_as_today_and_confluent_reads_kappa_output()
    {
        var registry = new InMemorySchemaRegistry();
        await using SchemaRegistryHttpServer server = SchemaRegistryHttpServer.Start(registry);
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = server.Url });
        var serializer = new AvroSerializer<GenericRecord>(client);
        var context = new SerializationContext(MessageComponentType.Value, "accounts");

        byte[] first = await serializer.SerializeAsync(Record(V1, "ann", 1, null), context);
        byte[] second = await serializer.SerializeAsync(Record(V2, "bob", 2, "hi"), context);

        Assert.Equal([1, 2], (await registry.GetVersionsAsync("accounts-value")).Select(v => v.Version));
        var decoder = new ConfluentAvroDecoder<Account>(registry);
        Account a = decoder.Decode(first);
        Account b = decoder.Decode(second);
        Assert.Equal(("ann", 1L, Tier.Bronze, (string?)null), (a.Name, a.Id, a.Tier, a.Note));
        Assert.Equal(("bob", 2L, "hi"), (b.Name, b.Id, b.Note));
        Assert.Equal([2L, -2L], b.Scores);
        Assert.Equal(20.0, b.Limits["l"]);
        Assert.Equal([1, 2], b.Contact.Phone);

        // Kappa writes framed output registered under accounts-out-value; Confluent's deserializer reads it.
        var encoder = new ConfluentAvroEncoder<Account>(registry);
        byte[] output = await encoder.SerializeAsync(b with { Name = "out" }, "accounts-out");
        var deserializer = new AvroDeserializer<GenericRecord>(client);
        GenericRecord read = await deserializer.DeserializeAsync(output, isNull: false, new SerializationContext(MessageComponentType.Value, "accounts-out"));
        Assert.Equal("out", read["Name"]);
        Assert.Equal(2L, read["Id"]);
        Assert.Equal("hi", read["Note"]);
        Assert.Equal("Bronze", ((GenericEnum)read["Tier"]).Value);
    }

    [Fact]
    public async Task Registry_client_calls_work_end_to_end()
    {
        var registry = new InMemorySchemaRegistry();
        await using SchemaRegistryHttpServer server = SchemaRegistryHttpServer.Start(registry);
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = server.Url });

        int id1 = await client.RegisterSchemaAsync("s-value", new Schema(V1, SchemaType.Avro));
        Assert.Equal(id1, await client.RegisterSchemaAsync("s-value", new Schema(V1, SchemaType.Avro)));
        Assert.Contains("\"Account\"", (await client.GetSchemaAsync(id1)).SchemaString, StringComparison.Ordinal);
        Assert.True(await client.IsCompatibleAsync("s-value", new Schema(V2, SchemaType.Avro)));
        string breaking = V1.Replace("""{"name":"Id","type":"int"}""", """{"name":"Id","type":"string"}""", StringComparison.Ordinal);
        Assert.False(await client.IsCompatibleAsync("s-value", new Schema(breaking, SchemaType.Avro)));
        SchemaRegistryException rejected = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("s-value", new Schema(breaking, SchemaType.Avro)));
        Assert.Equal(409, rejected.ErrorCode);
        int id2 = await client.RegisterSchemaAsync("s-value", new Schema(V2, SchemaType.Avro));
        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync("s-value"));
        Confluent.SchemaRegistry.RegisteredSchema latest = await client.GetLatestSchemaAsync("s-value");
        Assert.Equal((2, id2), (latest.Version, latest.Id));
        Assert.Equal(id1, (await client.GetRegisteredSchemaAsync("s-value", 1)).Id);
        Assert.Equal(id2, (await client.LookupSchemaAsync("s-value", new Schema(V2, SchemaType.Avro), ignoreDeletedSchemas: true)).Id);
        Assert.Equal(["s-value"], await client.GetAllSubjectsAsync());
        Assert.Equal(Compatibility.BackwardTransitive, await client.GetCompatibilityAsync());
        Assert.Equal(Compatibility.Full, await client.UpdateCompatibilityAsync(Compatibility.Full, "s-value"));
        Assert.Equal(AvroCompatibilityMode.Full, registry.GetMode("s-value"));
        SchemaRegistryException missing = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaAsync(999));
        Assert.Equal(40403, missing.ErrorCode);
    }

    [Fact]
    public async Task Curl_talks_to_it()
    {
        var registry = new InMemorySchemaRegistry();
        await using SchemaRegistryHttpServer server = SchemaRegistryHttpServer.Start(registry);
        string body = System.Text.Json.JsonSerializer.Serialize(new { schema = V1 });
        string registered = Curl("-X", "POST", "-H", "Content-Type: application/vnd.schemaregistry.v1+json", "--data", body, server.Url + "/subjects/c-value/versions");
        Assert.Equal("{\"id\":1}", registered);
        Assert.Equal("[\"c-value\"]", Curl(server.Url + "/subjects"));
        Assert.Equal("[1]", Curl(server.Url + "/subjects/c-value/versions"));
        Assert.Contains("\"compatibilityLevel\":\"BACKWARD_TRANSITIVE\"", Curl(server.Url + "/config"), StringComparison.Ordinal);
        Assert.Contains("\"error_code\":40403", Curl(server.Url + "/schemas/ids/7"), StringComparison.Ordinal);
    }

    private static string Curl(params string[] args)
    {
        var info = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-s");
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException("curl did not start (Debian package curl)");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
