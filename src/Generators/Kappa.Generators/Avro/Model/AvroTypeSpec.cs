using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.Model;

/// <summary>
/// One member type, symbol-free. <see cref="CsType"/> is the fully qualified C# type (with nullable annotations).
/// <see cref="Item"/> is the inner type of nullables, the item type of arrays/lists and the value type of maps.
/// Records carry their Avro full name, their fields (for the schema) and the C# name used in error paths.
/// </summary>
public sealed record AvroTypeSpec(
    AvroTypeKind Kind,
    string CsType,
    AvroTypeSpec? Item = null,
    string? AvroFullName = null,
    EquatableArray<string> Symbols = default,
    EquatableArray<int> EnumWriteIndexes = default,
    EquatableArray<AvroFieldSpec> Fields = default,
    int Precision = 0,
    int Scale = 0,
    bool Micros = false,
    bool IsReference = false,
    bool IsValueType = false,
    int MinSize = 1);
