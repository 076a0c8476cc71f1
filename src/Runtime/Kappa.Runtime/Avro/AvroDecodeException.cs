namespace Kappa.Avro;

/// <summary>Bytes that are not a valid encoding of the expected type: says which type, which field and at which byte.</summary>
public sealed class AvroDecodeException : FormatException
{
    public AvroDecodeException(string typeName, string? fieldName, int offset, string reason)
        : base($"Cannot decode Avro {typeName}{(fieldName is null ? string.Empty : "." + fieldName)} at byte {offset}: {reason}")
    {
        TypeName = typeName;
        FieldName = fieldName;
        Offset = offset;
        Reason = reason;
    }

    public string TypeName { get; }

    public string? FieldName { get; }

    public int Offset { get; }

    public string Reason { get; }
}
