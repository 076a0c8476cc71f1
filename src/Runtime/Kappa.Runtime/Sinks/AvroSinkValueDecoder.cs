using Kappa.Avro;
using Kappa.Processing;

namespace Kappa.Sinks;

/// <summary>
/// <see cref="ValueFormat.Avro"/>: the value is the Avro binary body written with <typeparamref name="T"/>'s own schema,
/// nothing before it; decoded by <typeparamref name="T"/>'s <c>ReadAvro</c> and required to end where the value ends.
/// </summary>
public sealed class AvroSinkValueDecoder<T> : ISinkValueDecoder<T>
    where T : IAvroRecord<T>
{
    private readonly string _typeName = typeof(T).Name;

    public ValueFormat Format => ValueFormat.Avro;

    public T Decode(ReadOnlySpan<byte> value)
    {
        try
        {
            var reader = new AvroReader(value, _typeName);
            T result = T.ReadAvro(ref reader);
            reader.EnsureEnd();
            return result;
        }
        catch (AvroDecodeException error)
        {
            throw new SinkValueException(DeadLetterHeaders.ReasonUndecodable, error.Message, error);
        }
    }
}
