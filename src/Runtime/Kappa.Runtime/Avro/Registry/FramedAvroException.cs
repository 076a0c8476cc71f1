using Kappa.Processing;

namespace Kappa.Avro.Registry;

/// <summary>
/// A Confluent-framed record Kappa cannot read, with the dead-letter reason: <see cref="DeadLetterHeaders.ReasonBadFraming"/>,
/// <see cref="DeadLetterHeaders.ReasonUnknownSchemaId"/>, <see cref="DeadLetterHeaders.ReasonUnresolvableSchema"/> or
/// <see cref="DeadLetterHeaders.ReasonUndecodable"/>.
/// </summary>
public sealed class FramedAvroException : FormatException
{
    public FramedAvroException(string reason, int? schemaId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        SchemaId = schemaId;
    }

    /// <summary>One of the <see cref="DeadLetterHeaders"/> reason values.</summary>
    public string Reason { get; }

    /// <summary>The schema id in the header, when the header was readable.</summary>
    public int? SchemaId { get; }
}
