using Kappa.Avro;
using Kappa.Transport;

namespace Kappa.Processing;

/// <summary>
/// A record the processor cannot read: its value is not a valid encoding of the handler's input type, or it is null
/// where a record is expected. The runner sends such records to the dead-letter topic and carries on.
/// </summary>
public sealed class PoisonRecordException : Exception
{
    public PoisonRecordException(string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>One of the <see cref="DeadLetterHeaders"/> reason values.</summary>
    public string Reason { get; }

    /// <summary>The value is null (a tombstone) but the handler expects a record.</summary>
    public static PoisonRecordException NullValue(in ConsumedRecord record, string expectedType) =>
        new(DeadLetterHeaders.ReasonNullValue, $"Record {record.Topic}-{record.Partition}@{record.Offset} has a null value; the handler expects a {expectedType}.");

    /// <summary>The key is null but the handler keeps per-key state, which is looked up by the record key.</summary>
    public static PoisonRecordException NullKey(in ConsumedRecord record, string store) =>
        new(DeadLetterHeaders.ReasonNullKey, $"Record {record.Topic}-{record.Partition}@{record.Offset} has a null key; its handler keeps state in store '{store}', which is kept per record key.");

    /// <summary>A Confluent-framed value that cannot be read: the reason is the framing's (bad framing, unknown schema id, unresolvable schema, undecodable).</summary>
    public static PoisonRecordException Framed(in ConsumedRecord record, Kappa.Avro.Registry.FramedAvroException exception) =>
        new(exception.Reason, $"Record {record.Topic}-{record.Partition}@{record.Offset} cannot be read: {exception.Message}", exception);

    /// <summary>The value's bytes do not decode as the handler's input type.</summary>
    public static PoisonRecordException Undecodable(in ConsumedRecord record, AvroDecodeException exception) =>
        new(DeadLetterHeaders.ReasonUndecodable, $"Record {record.Topic}-{record.Partition}@{record.Offset} cannot be decoded: {exception.Message}", exception);
}
