namespace Kappa.Avro;

/// <summary>
/// Bytes that are not a valid encoding of the expected type: says which type, which field (a path such as
/// <c>Customer.Address.Street</c> or <c>Lines[3].Price</c> for nested records) and at which byte.
/// </summary>
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

    /// <summary>The outermost record type being decoded.</summary>
    public string TypeName { get; }

    /// <summary>The field (or field path through nested records and collections), when known.</summary>
    public string? FieldName { get; }

    /// <summary>Byte offset in the input where the bad value starts.</summary>
    public int Offset { get; }

    /// <summary>What is wrong with the bytes.</summary>
    public string Reason { get; }

    /// <summary>
    /// Re-labels a failure inside a nested record: the type becomes <paramref name="outerType"/> and the field path is
    /// prefixed with <paramref name="segment"/> (a field name, or a field name with an index or key).
    /// </summary>
    public AvroDecodeException Nest(string outerType, string segment) =>
        new(outerType, FieldName is null ? segment : segment + "." + FieldName, Offset, Reason);
}
