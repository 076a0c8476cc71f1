using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.Model;

/// <summary>
/// One member type, symbol-free. <see cref="CsType"/> is the fully qualified C# type (with nullable annotations).
/// <see cref="Item"/> is the inner type of nullables, the item type of arrays/lists and the value type of maps.
/// Records carry their Avro full name, their fields (for the schema) and the C# name used in error paths; records and
/// fixed types also their <see cref="Doc"/> and <see cref="Aliases"/>. <see cref="FixedSize"/> above zero makes
/// <c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c> and <c>Guid</c> a named <c>fixed</c> (full name in
/// <see cref="AvroFullName"/>); durations are always fixed(12). <see cref="Branches"/> are the record types of a union.
/// <see cref="NullLast"/> orders a nullable's union as <c>[T, "null"]</c> (its field has a non-null default).
/// <see cref="Local"/> makes a DateTime a <c>local-timestamp-*</c>. <see cref="EnumDefault"/> is an enum's
/// <c>default</c> symbol ([AvroEnumDefault]), one of its <see cref="Symbols"/>.
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
    int MinSize = 1,
    int FixedSize = 0,
    bool Local = false,
    bool NullLast = false,
    EquatableArray<AvroTypeSpec> Branches = default,
    EquatableArray<int> BranchTestOrder = default,
    string? Doc = null,
    EquatableArray<string> Aliases = default,
    string? EnumDefault = null);
