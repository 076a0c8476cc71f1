using System.Collections.Concurrent;
using Kappa.Avro.Schemas;
using Kappa.Processing;

namespace Kappa.Avro.Registry;

/// <summary>
/// Reads Confluent-framed Avro (magic byte 0, 4-byte big-endian schema id, body) as <typeparamref name="T"/>: the schema
/// id is looked up in the registry once, and the (writer schema, <typeparamref name="T"/>) resolution plan is built once
/// and cached per id, so after warm-up no record calls the registry. Every failure of the record is a
/// <see cref="FramedAvroException"/> carrying the dead-letter reason; a registry that cannot answer is a
/// <see cref="SchemaRegistryUnavailableException"/>.
/// </summary>
public sealed class ConfluentAvroDecoder<T>
    where T : IAvroRecord<T>
{
    private readonly ISchemaRegistry _registry;
    private readonly ConcurrentDictionary<int, AvroResolution<T>> _byId = new();

    // Ids whose writer schema T cannot read, with the reason: a registered id's schema never changes, so the registry is not
    // asked again for every record of that id. Unknown ids are not remembered (they may be registered later).
    private readonly ConcurrentDictionary<int, FramedAvroException> _unresolvable = new();

    public ConfluentAvroDecoder(ISchemaRegistry registry)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
    }

    /// <summary>Fetches and plans <paramref name="schemaId"/> ahead of the first record that uses it.</summary>
    public async ValueTask WarmUpAsync(int schemaId, CancellationToken cancellationToken = default)
    {
        if (!_byId.ContainsKey(schemaId))
        {
            string? schema = await _registry.GetSchemaAsync(schemaId, cancellationToken).ConfigureAwait(false);
            _byId.TryAdd(schemaId, Plan(schemaId, schema));
        }
    }

    /// <summary>Decodes one framed message.</summary>
    public T Decode(ReadOnlySpan<byte> message)
    {
        int id;
        ReadOnlySpan<byte> body;
        try
        {
            id = ConfluentWireFormat.ReadHeader(message, out body);
        }
        catch (ConfluentWireFormatException e)
        {
            throw new FramedAvroException(DeadLetterHeaders.ReasonBadFraming, null, e.Message, e);
        }

        if (!_byId.TryGetValue(id, out AvroResolution<T>? resolution))
        {
            resolution = Fetch(id);
        }

        try
        {
            return resolution.Decode(body);
        }
        catch (AvroDecodeException e)
        {
            throw new FramedAvroException(DeadLetterHeaders.ReasonUndecodable, id, $"Schema id {id}: {e.Message}", e);
        }
    }

    private AvroResolution<T> Fetch(int id)
    {
        // Only the first record with a new id gets here (the id is cached afterwards).
        if (_unresolvable.TryGetValue(id, out FramedAvroException? known))
        {
            throw new FramedAvroException(known.Reason, id, known.Message, known.InnerException);
        }

        string? schema;
        try
        {
            ValueTask<string?> pending = _registry.GetSchemaAsync(id);
            schema = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The registry's failure, not the record's: not a FramedAvroException, so the record is never dead-lettered for it.
            throw new SchemaRegistryUnavailableException(id, $"Looking up schema id {id} in the schema registry failed: {e.Message}", e);
        }

        try
        {
            return _byId.GetOrAdd(id, Plan(id, schema));
        }
        catch (FramedAvroException unresolvable) when (unresolvable.Reason == DeadLetterHeaders.ReasonUnresolvableSchema)
        {
            _unresolvable.TryAdd(id, unresolvable);
            throw;
        }
    }

    private static AvroResolution<T> Plan(int id, string? schema)
    {
        if (schema is null)
        {
            throw new FramedAvroException(DeadLetterHeaders.ReasonUnknownSchemaId, id, $"Schema id {id} is not in the schema registry.");
        }

        try
        {
            return AvroResolution<T>.For(schema);
        }
        catch (Exception e) when (e is AvroSchemaResolutionException or AvroSchemaException)
        {
            throw new FramedAvroException(DeadLetterHeaders.ReasonUnresolvableSchema, id, $"Schema id {id} cannot be read as {typeof(T).Name}: {e.Message}", e);
        }
    }
}
