namespace Kappa.Avro;

/// <summary>A message that is not in the Confluent Schema Registry wire format (wrong magic byte, or too short).</summary>
public sealed class ConfluentWireFormatException : FormatException
{
    public ConfluentWireFormatException(string message)
        : base(message)
    {
    }
}
