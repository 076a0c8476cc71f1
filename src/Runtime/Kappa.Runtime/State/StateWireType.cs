namespace Kappa.State;

/// <summary>
/// How a field's value is laid out in the state format (the low 3 bits of a field tag). See docs/state.md.
/// </summary>
public enum StateWireType : byte
{
    /// <summary>Unsigned LEB128 varint (zig-zag for signed numbers): bool, integers, enums, TimeSpan.</summary>
    Varint = 0,

    /// <summary>8 bytes little-endian: double (IEEE 754 bits).</summary>
    Fixed64 = 1,

    /// <summary>Varint byte length, then the bytes: string (UTF-8).</summary>
    Bytes = 2,

    /// <summary>16 bytes: decimal (normalized), DateTimeOffset, Guid.</summary>
    Fixed128 = 3,

    /// <summary>4 bytes little-endian: float (IEEE 754 bits).</summary>
    Fixed32 = 4,

    /// <summary>A nested state: tagged fields, then the end tag (a single 0 byte).</summary>
    Group = 5,

    /// <summary>A list, array or dictionary: varint count, an element descriptor byte, then the elements.</summary>
    Sequence = 6,

    /// <summary>The field is null; no payload.</summary>
    Null = 7,
}
