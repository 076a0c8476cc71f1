namespace Kappa.Avro;

/// <summary>
/// A value that cannot be written with its Avro schema (a null in a non-nullable member, a decimal that does not fit its
/// declared precision/scale, an undefined enum value, a timestamp outside the representable range). Names type and field.
/// </summary>
public sealed class AvroEncodeException : InvalidOperationException
{
    public AvroEncodeException(string typeName, string? fieldName, string reason)
        : base($"Cannot encode Avro {typeName}{(fieldName is null ? string.Empty : "." + fieldName)}: {reason}")
    {
        TypeName = typeName;
        FieldName = fieldName;
        Reason = reason;
    }

    public string TypeName { get; }

    public string? FieldName { get; }

    public string Reason { get; }

    public static AvroEncodeException NullValue(string typeName, string? fieldName) =>
        new(typeName, fieldName, "the value is null but the member is not nullable (declare it nullable to write an Avro union with null)");

    public static AvroEncodeException UndefinedEnumValue(string typeName, string fieldName, string value) =>
        new(typeName, fieldName, $"enum value {value} is not a declared member, so it has no Avro symbol");

    public static AvroEncodeException DecimalOutOfRange(string typeName, string fieldName, decimal value, int precision, int scale) =>
        new(typeName, fieldName, $"{value} does not fit decimal({precision},{scale}): it needs more than {scale} fractional digits or more than {precision} digits in total (values are never rounded)");

    public static AvroEncodeException FixedSizeMismatch(string typeName, string fieldName, int length, int size) =>
        new(typeName, fieldName, $"{length} bytes do not fit fixed({size}): an Avro fixed holds exactly {size} bytes");

    public static AvroEncodeException UnknownUnionBranch(string typeName, string fieldName, string unionType, string valueType) =>
        new(typeName, fieldName, $"{valueType} is not one of the [AvroUnion] branches of {unionType}, so it has no Avro union branch (list it in [AvroUnion(...)])");
}
