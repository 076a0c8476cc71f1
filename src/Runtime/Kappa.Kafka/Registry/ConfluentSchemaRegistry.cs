using System.Net;
using Confluent.SchemaRegistry;
using Kappa.Avro.Registry;

namespace Kappa.Kafka.Registry;

/// <summary>
/// Kappa's <see cref="ISchemaRegistry"/> over a real Confluent Schema Registry through Confluent's
/// <see cref="CachedSchemaRegistryClient"/> (URL, basic auth, TLS and caching as its <see cref="SchemaRegistryConfig"/>
/// says). Schemas by id are cached by the client and, per reader type, by <see cref="ConfluentAvroDecoder{T}"/>, so after
/// warm-up no record calls the registry.
/// </summary>
public sealed class ConfluentSchemaRegistry : ISchemaRegistry, IDisposable
{
    private const int SubjectNotFound = 40401;
    private const int SchemaNotFound = 40403;

    private readonly ISchemaRegistryClient _client;
    private readonly bool _ownsClient;

    /// <summary>Creates (and owns) a <see cref="CachedSchemaRegistryClient"/> for <paramref name="config"/>.</summary>
    public ConfluentSchemaRegistry(SchemaRegistryConfig config)
        : this(new CachedSchemaRegistryClient(config ?? throw new ArgumentNullException(nameof(config))), ownsClient: true)
    {
    }

    /// <summary>Wraps an existing client (not disposed by this instance).</summary>
    public ConfluentSchemaRegistry(ISchemaRegistryClient client)
        : this(client ?? throw new ArgumentNullException(nameof(client)), ownsClient: false)
    {
    }

    private ConfluentSchemaRegistry(ISchemaRegistryClient client, bool ownsClient)
    {
        _client = client;
        _ownsClient = ownsClient;
    }

    public async ValueTask<string?> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
    {
        try
        {
            Schema schema = await _client.GetSchemaAsync(id).ConfigureAwait(false);
            if (schema.SchemaType != SchemaType.Avro)
            {
                throw new InvalidOperationException($"Schema id {id} is a {schema.SchemaType} schema, not Avro.");
            }

            return schema.SchemaString;
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == SchemaNotFound)
        {
            return null;
        }
    }

    public async ValueTask<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _client.RegisterSchemaAsync(subject, new Schema(schema, SchemaType.Avro)).ConfigureAwait(false);
        }
        catch (SchemaRegistryException e) when (e.Status == HttpStatusCode.Conflict)
        {
            throw new SchemaIncompatibleException(subject, $"Schema for subject '{subject}' was rejected by the schema registry: {e.Message}");
        }
    }

    public async ValueTask<IReadOnlyList<Kappa.Avro.Registry.RegisteredSchema>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default)
    {
        List<int> versions;
        try
        {
            versions = await _client.GetSubjectVersionsAsync(subject).ConfigureAwait(false);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == SubjectNotFound)
        {
            return [];
        }

        var result = new List<Kappa.Avro.Registry.RegisteredSchema>(versions.Count);
        foreach (int version in versions.Order())
        {
            Confluent.SchemaRegistry.RegisteredSchema registered = await _client.GetRegisteredSchemaAsync(subject, version).ConfigureAwait(false);
            result.Add(new Kappa.Avro.Registry.RegisteredSchema(subject, registered.Version, registered.Id, registered.SchemaString));
        }

        return result;
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
