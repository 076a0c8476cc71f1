using Kappa.Generators.Common;

namespace Kappa.Generators.Sinks.Model;

/// <summary>The parser's output for one type: a spec when the table is valid, and the diagnostics to report.</summary>
public sealed record ServingTableResult(ServingTableSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
