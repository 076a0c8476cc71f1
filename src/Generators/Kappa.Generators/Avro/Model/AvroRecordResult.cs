using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.Model;

/// <summary>The parser's output for one type: a spec when the type is valid, and the diagnostics to report.</summary>
public sealed record AvroRecordResult(AvroRecordSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
