using System.Buffers;
using Confluent.SchemaRegistry;
using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Kafka.Registry;

namespace Kappa.Kafka.Tests;

[AvroRecord(Namespace = "kappa.kafka.tests.registry")]
public partial record Reading(string Sensor, double Value);

/// <summary>Kappa's registry seam over Confluent's CachedSchemaRegistryClient, against Kappa's HTTP registry on loopback.</summary>
public sealed class ConfluentSchemaRegistryTests
{
    private const string ReadingV1 = """{"type":"record","name":"Reading","namespace":"kappa.kafka.tests.registry","fields":[{"name":"Sensor","type":"string"},{"name":"Value","type":"int"}]}""";

    [Fact]
    public async Task Registers_reads_versions_and_maps_registry_errors()
    {
        var backing = new InMemorySchemaRegistry();
        await using SchemaRegistryHttpServer server = SchemaRegistryHttpServer.Start(backing);
        using var registry = new ConfluentSchemaRegistry(new SchemaRegistryConfig { Url = server.Url });

        int v1 = await registry.RegisterAsync("readings-value", ReadingV1);
        int v2 = await registry.RegisterAsync("readings-value", Reading.AvroSchemaJson);
        Assert.Equal(ReadingV1, await registry.GetSchemaAsync(v1));
        Assert.Null(await registry.GetSchemaAsync(12345));
        Assert.Equal([(1, v1), (2, v2)], (await registry.GetVersionsAsync("readings-value")).Select(v => (v.Version, v.Id)));
        Assert.Empty(await registry.GetVersionsAsync("nobody-value"));
        SchemaIncompatibleException e = await Assert.ThrowsAsync<SchemaIncompatibleException>(async () =>
            await registry.RegisterAsync("readings-value", ReadingV1.Replace("\"int\"", "\"boolean\"", StringComparison.Ordinal)));
        Assert.Equal("readings-value", e.Subject);

        // A v1-framed record read as today's Reading (int promoted to double) through the real client.
        var output = new ArrayBufferWriter<byte>();
        ConfluentWireFormat.WriteHeader(v1, output);
        output.Write(new byte[] { 6, (byte)'a', (byte)'b', (byte)'c', 84 }); // "abc", int 42
        Reading r = new ConfluentAvroDecoder<Reading>(registry).Decode(output.WrittenSpan);
        Assert.Equal(new Reading("abc", 42.0), r);
    }
}
