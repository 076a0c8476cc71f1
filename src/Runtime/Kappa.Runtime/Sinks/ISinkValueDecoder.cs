using Kappa.Avro;
using Kappa.Avro.Registry;

namespace Kappa.Sinks;

/// <summary>
/// How a <see cref="SinkWriter{T}"/> turns the value bytes of its topic into a <typeparamref name="T"/>: one implementation
/// per <see cref="ValueFormat"/> (<see cref="AvroSinkValueDecoder{T}"/>, <see cref="ConfluentAvroSinkValueDecoder{T}"/>),
/// chosen once by <see cref="SinkValueDecoders.Create{T}"/>. Called from the writer's thread only.
/// </summary>
public interface ISinkValueDecoder<T>
    where T : IAvroRecord<T>
{
    /// <summary>The layout of the values this decoder reads.</summary>
    ValueFormat Format { get; }

    /// <summary>
    /// Decodes one non-null value. A value that cannot become a <typeparamref name="T"/> throws
    /// <see cref="SinkValueException"/> with the dead-letter reason; a schema registry that does not answer throws
    /// <see cref="SchemaRegistryUnavailableException"/> (not the record's fault: it is never dead-lettered).
    /// </summary>
    T Decode(ReadOnlySpan<byte> value);
}
