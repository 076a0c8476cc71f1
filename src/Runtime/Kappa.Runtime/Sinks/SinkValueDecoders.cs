using Kappa.Avro;
using Kappa.Avro.Registry;

namespace Kappa.Sinks;

/// <summary>Chooses the <see cref="ISinkValueDecoder{T}"/> of a sink from its <see cref="SinkWriterOptions.ValueFormat"/>.</summary>
public static class SinkValueDecoders
{
    /// <summary>
    /// The decoder for <paramref name="options"/>' value format. A <see cref="ValueFormat.ConfluentAvro"/> sink without
    /// <see cref="SinkWriterOptions.SchemaRegistry"/> throws <see cref="InvalidOperationException"/> naming the sink and
    /// how to configure a registry.
    /// </summary>
    public static ISinkValueDecoder<T> Create<T>(SinkTarget target, SinkWriterOptions options)
        where T : IAvroRecord<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        return options.ValueFormat switch
        {
            ValueFormat.Avro => new AvroSinkValueDecoder<T>(),
            ValueFormat.ConfluentAvro => new ConfluentAvroSinkValueDecoder<T>(options.SchemaRegistry ?? throw MissingRegistry(target)),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.ValueFormat, $"Sink {target.Table}: unknown value format {options.ValueFormat}."),
        };
    }

    private static InvalidOperationException MissingRegistry(SinkTarget target) => new(
        $"Sink table {target.Table} reads Confluent-framed Avro (ValueFormat.ConfluentAvro) from {target.Topic}, which needs a schema registry to look up "
        + "each value's writer schema, and none is configured. With hosting, call AddSchemaRegistry(sp => registry) on the KappaBuilder "
        + "(a ConfluentSchemaRegistry from Kappa.Kafka or an EmbeddedSchemaRegistry from Kappa.EmbeddedLog); for a SinkWriter created by hand, "
        + "set SinkWriterOptions.SchemaRegistry.");
}
