namespace Kappa.Avro.Schemas;

/// <summary>Schema JSON that is not a valid Avro schema (says what and where).</summary>
public sealed class AvroSchemaException : FormatException
{
    public AvroSchemaException(string message)
        : base(message)
    {
    }
}
