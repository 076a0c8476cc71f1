namespace Kappa.Generators.Avro.Model;

/// <summary>How a C# member type maps to Avro.</summary>
public enum AvroTypeKind
{
    Boolean,
    Int,
    Long,
    Float,
    Double,
    String,
    ByteArray,
    ReadOnlyMemory,
    Enum,
    Record,
    Nullable,
    Array,
    List,
    ReadOnlyList,
    Dictionary,
    ReadOnlyDictionary,
    Decimal,
    DateTimeOffset,
    DateTime,
    DateOnly,
    Guid,
}
