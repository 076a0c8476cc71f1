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

    /// <summary><c>TimeOnly</c> as <c>time-millis</c> (int) or <c>time-micros</c> (long).</summary>
    TimeOnly,

    /// <summary><c>Kappa.AvroDuration</c> as the <c>duration</c> logical type on <c>fixed(12)</c>.</summary>
    Duration,

    /// <summary>An abstract <c>[AvroUnion]</c> base type: a union of its derived <c>[AvroRecord]</c> branches.</summary>
    Union,

    /// <summary><c>Kappa.AvroUnion&lt;T1, T2[, T3]&gt;</c>: a union of any branch types, by the value's <c>Index</c>.</summary>
    ValueUnion,
}
