using System.Buffers;
using System.Collections.Concurrent;
using Kappa.Avro.Schemas;

namespace Kappa.Avro.Registry;

/// <summary>
/// Writes <typeparamref name="T"/> framed the Confluent way, with <typeparamref name="T"/>'s schema registered under
/// the subject the strategy names (<see cref="SubjectNameStrategy.Topic"/> by default). The id is registered once per
/// topic and cached.
/// </summary>
public sealed class ConfluentAvroEncoder<T>
    where T : IAvroRecord<T>
{
    private readonly ISchemaRegistry _registry;
    private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);

    public ConfluentAvroEncoder(ISchemaRegistry registry, SubjectNameStrategy strategy = SubjectNameStrategy.Topic)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        Strategy = strategy;
    }

    public SubjectNameStrategy Strategy { get; }

    /// <summary>The subject <typeparamref name="T"/>'s schema is registered under for <paramref name="topic"/>.</summary>
    public string SubjectFor(string topic) =>
        SubjectNames.For(Strategy, topic, ((AvroNamedSchema)AvroResolution<T>.ReaderSchema).FullName);

    /// <summary>Registers (once per topic) and returns the schema id for <paramref name="topic"/>.</summary>
    public async ValueTask<int> GetSchemaIdAsync(string topic, CancellationToken cancellationToken = default)
    {
        if (_ids.TryGetValue(topic, out int id))
        {
            return id;
        }

        id = await _registry.RegisterAsync(SubjectFor(topic), T.AvroSchemaJson, cancellationToken).ConfigureAwait(false);
        _ids[topic] = id;
        return id;
    }

    /// <summary>Writes header and body for an id from <see cref="GetSchemaIdAsync"/>.</summary>
    public static void Serialize(in T value, int schemaId, IBufferWriter<byte> output) => ConfluentWireFormat.Serialize(value, schemaId, output);

    /// <summary>Convenience: registers if needed and returns the framed bytes.</summary>
    public async ValueTask<byte[]> SerializeAsync(T value, string topic, CancellationToken cancellationToken = default)
    {
        int id = await GetSchemaIdAsync(topic, cancellationToken).ConfigureAwait(false);
        var output = new ArrayBufferWriter<byte>(128);
        Serialize(value, id, output);
        return output.WrittenSpan.ToArray();
    }
}
