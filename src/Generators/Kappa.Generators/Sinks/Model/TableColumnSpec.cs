using Kappa.Generators.Avro.Model;

namespace Kappa.Generators.Sinks.Model;

/// <summary>
/// One column: the C# member it reads, its (lower-case) column name, its <c>Kappa.Sinks.TableColumnType</c> name, and
/// the member's Avro type spec, which says how the value is written.
/// </summary>
public sealed record TableColumnSpec(
    string Member,
    string Column,
    string ColumnType,
    bool Nullable,
    int Precision,
    int Scale,
    bool IsKey,
    AvroTypeSpec Type);
