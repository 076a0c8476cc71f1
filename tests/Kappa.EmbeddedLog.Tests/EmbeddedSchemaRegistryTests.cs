using Kappa.Avro.Registry;
using Kappa.Log;
using Kappa.Log.Registry;

namespace Kappa.Log.Tests;

public sealed class EmbeddedSchemaRegistryTests
{
    private const string V1 = """{"type":"record","name":"R","namespace":"t","fields":[{"name":"a","type":"int"}]}""";
    private const string V2 = """{"type":"record","name":"R","namespace":"t","fields":[{"name":"a","type":"long"},{"name":"b","type":"string","default":""}]}""";
    private const string Other = """{"type":"record","name":"O","namespace":"t","fields":[]}""";

    [Fact]
    public async Task Schemas_live_in_the_compacted_schemas_topic_and_survive_a_reopen()
    {
        using var dir = new TempDir();
        int v1, v2, other;
        using (EmbeddedLog log = EmbeddedLog.Open(LogTestSupport.Options(dir.Path)))
        {
            var registry = new EmbeddedSchemaRegistry(log);
            v1 = await registry.RegisterAsync("r-value", V1);
            other = await registry.RegisterAsync("o-value", Other);
            // Registered through the HTTP-facing in-memory state: persisted the same way.
            v2 = await registry.Registry.RegisterAsync("r-value", V2);
            Assert.Equal(v1, await registry.RegisterAsync("r-value", V1));
            Assert.True(log.GetTopicConfig(EmbeddedSchemaRegistry.Topic)!.Compacted);
            List<TestRecord> records = LogTestSupport.ReadAll(log.GetPartition(EmbeddedSchemaRegistry.Topic, 0));
            Assert.Equal(3, records.Count);
            Assert.Contains("\"keytype\":\"SCHEMA\"", System.Text.Encoding.UTF8.GetString(records[0].Key!), StringComparison.Ordinal);
        }

        using (EmbeddedLog reopened = EmbeddedLog.Open(LogTestSupport.Options(dir.Path)))
        {
            var registry = new EmbeddedSchemaRegistry(reopened);
            Assert.Equal(V1, await registry.GetSchemaAsync(v1));
            Assert.Equal(V2, await registry.GetSchemaAsync(v2));
            Assert.Equal([(1, v1), (2, v2)], (await registry.GetVersionsAsync("r-value")).Select(v => (v.Version, v.Id)));
            Assert.Equal(other, Assert.Single(await registry.GetVersionsAsync("o-value")).Id);
            // Compatibility still holds against the replayed history (BACKWARD_TRANSITIVE by default).
            await Assert.ThrowsAsync<SchemaIncompatibleException>(async () =>
                await registry.RegisterAsync("r-value", """{"type":"record","name":"R","namespace":"t","fields":[{"name":"a","type":"long"},{"name":"c","type":"string"}]}"""));
            int v3 = await registry.RegisterAsync("r-value", """{"type":"record","name":"R","namespace":"t","fields":[{"name":"a","type":"double"}]}""");
            Assert.True(v3 > Math.Max(v2, other));
        }
    }
}
