namespace Kappa.Generators.State.Model;

/// <summary>The field types the state serializer supports.</summary>
public enum StateValueKind
{
    Boolean,
    Byte,
    SByte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Decimal,
    String,
    DateTimeOffset,
    TimeSpan,
    Guid,
    Enum,
    Nullable,
    State,
    List,
    Array,
    Dictionary,
}
