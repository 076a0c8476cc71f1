using Kappa.Generators.Common;

namespace Kappa.Generators.Sinks.Model;

/// <summary>A [TableIndex]: its column names in order, and whether it is unique.</summary>
public sealed record TableIndexSpec(EquatableArray<string> Columns, bool Unique);
