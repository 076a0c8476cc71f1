using Kappa.Processing;

namespace Kappa.Sinks;

/// <summary>
/// A value a sink writer cannot turn into a row, with the dead-letter reason (the same names a processor uses:
/// <see cref="DeadLetterHeaders.ReasonUndecodable"/>, <see cref="DeadLetterHeaders.ReasonBadFraming"/>,
/// <see cref="DeadLetterHeaders.ReasonUnknownSchemaId"/>, <see cref="DeadLetterHeaders.ReasonUnresolvableSchema"/>).
/// The inner exception is the decoder's own.
/// </summary>
public sealed class SinkValueException : FormatException
{
    public SinkValueException(string reason, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>One of the <see cref="DeadLetterHeaders"/> reason values.</summary>
    public string Reason { get; }
}
