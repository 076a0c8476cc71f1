using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;

namespace Kappa.Generators.Sinks.Model;

/// <summary>Everything the emitter needs for one [ServingTable] type; equatable and symbol-free.</summary>
public sealed record ServingTableSpec(
    string? Namespace,
    string TypeName,
    string Keyword,
    string FullyQualifiedName,
    string HintName,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Mode,
    EquatableArray<TableColumnSpec> Columns,
    EquatableArray<string> KeyColumns,
    EquatableArray<TableIndexSpec> Indexes,
    EquatableArray<JsonRecordSpec> JsonRecords);
