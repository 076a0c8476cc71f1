using Kappa.Avro;
using Kappa.Avro.Registry;

namespace Kappa.Sinks;

/// <summary>
/// <see cref="ValueFormat.ConfluentAvro"/>: magic byte 0, the writer schema's id (4 bytes big-endian), the Avro body. The
/// writer schema is looked up in the schema registry once per id and resolved to <typeparamref name="T"/> once per id
/// (<see cref="ConfluentAvroDecoder{T}"/>), so values of every registered version of the schema become rows of the table
/// and, after warm-up, nothing is allocated per value beyond the decoded <typeparamref name="T"/> and the registry is not
/// called. A bad frame, an unknown id, an unresolvable writer schema and an undecodable body are
/// <see cref="SinkValueException"/>s with the processor's dead-letter reasons.
/// </summary>
public sealed class ConfluentAvroSinkValueDecoder<T> : ISinkValueDecoder<T>
    where T : IAvroRecord<T>
{
    private readonly ConfluentAvroDecoder<T> _decoder;

    public ConfluentAvroSinkValueDecoder(ISchemaRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _decoder = new ConfluentAvroDecoder<T>(registry);
    }

    public ValueFormat Format => ValueFormat.ConfluentAvro;

    public T Decode(ReadOnlySpan<byte> value)
    {
        try
        {
            return _decoder.Decode(value);
        }
        catch (FramedAvroException error)
        {
            throw new SinkValueException(error.Reason, error.Message, error);
        }
    }
}
