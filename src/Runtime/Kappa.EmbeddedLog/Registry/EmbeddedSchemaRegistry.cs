using System.Text.Json;
using System.Text.Json.Nodes;
using Kappa.Avro.Registry;
using Kappa.Avro.Schemas;
using Kappa.Log.Format;

namespace Kappa.Log.Registry;

/// <summary>
/// The embedded log's Schema Registry: schemas are kept in the log's compacted <c>_schemas</c> topic (one partition; key
/// <c>{"keytype":"SCHEMA","subject":..,"version":..,"magic":1}</c>, value <c>{"subject","version","id","schema","deleted":false}</c>,
/// the layout Confluent's registry uses), replayed on open, and served from memory (<see cref="Registry"/>; serve it over
/// HTTP with <see cref="SchemaRegistryHttpServer"/>). A version is appended and flushed before its id is returned.
/// </summary>
public sealed class EmbeddedSchemaRegistry : ISchemaRegistry
{
    /// <summary>The topic the schemas live in.</summary>
    public const string Topic = "_schemas";

    private readonly EmbeddedLog _log;

    public EmbeddedSchemaRegistry(EmbeddedLog log, AvroCompatibilityMode defaultMode = AvroCompatibilityMode.BackwardTransitive)
    {
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _log.EnsureTopic(Topic, new TopicConfig(1, Compacted: true));
        Registry = new InMemorySchemaRegistry(defaultMode);
        Replay();
        Registry.Registered += Append;
    }

    /// <summary>The in-memory state (also what registrations through HTTP go to; they are persisted the same way).</summary>
    public InMemorySchemaRegistry Registry { get; }

    public ValueTask<string?> GetSchemaAsync(int id, CancellationToken cancellationToken = default) => Registry.GetSchemaAsync(id, cancellationToken);

    public ValueTask<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default) => Registry.RegisterAsync(subject, schema, cancellationToken);

    public ValueTask<IReadOnlyList<RegisteredSchema>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) => Registry.GetVersionsAsync(subject, cancellationToken);

    private void Replay()
    {
        PartitionLog partition = _log.GetPartition(Topic, 0);
        var records = new List<RegisteredSchema>();
        using (PartitionReader reader = partition.OpenReader(partition.LogStartOffset))
        {
            while (reader.TryRead(out BatchRecord record))
            {
                if (record.ValueIsNull)
                {
                    continue;
                }

                JsonNode value = JsonNode.Parse(record.Value) ?? throw new InvalidDataException($"{Topic} record at offset {record.Offset} has an empty value");
                if (value["deleted"]?.GetValue<bool>() == true)
                {
                    continue;
                }

                records.Add(new RegisteredSchema(
                    value["subject"]!.GetValue<string>(),
                    value["version"]!.GetValue<int>(),
                    value["id"]!.GetValue<int>(),
                    value["schema"]!.GetValue<string>()));
            }
        }

        // Compaction keeps the last record per key, not the original order across subjects: restore by version per subject.
        foreach (RegisteredSchema registered in records.OrderBy(r => r.Subject, StringComparer.Ordinal).ThenBy(r => r.Version))
        {
            Registry.Restore(registered);
        }
    }

    private void Append(RegisteredSchema registered)
    {
        byte[] key = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["keytype"] = "SCHEMA", ["subject"] = registered.Subject, ["version"] = registered.Version, ["magic"] = 1 });
        byte[] value = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["subject"] = registered.Subject,
            ["version"] = registered.Version,
            ["id"] = registered.Id,
            ["schema"] = registered.Schema,
            ["deleted"] = false,
        });
        using var builder = new RecordBatchBuilder(1024);
        builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), key, keyIsNull: false, value, valueIsNull: false, [0]);
        PartitionLog partition = _log.GetPartition(Topic, 0);
        partition.Append(builder.Finish());
        partition.Flush(force: true);
    }
}
