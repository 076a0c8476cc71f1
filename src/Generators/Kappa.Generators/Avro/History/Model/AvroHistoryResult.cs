using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.History.Model;

/// <summary>
/// The history check of one type: its diagnostics, its entry for the updated history file (the recorded schemas plus the
/// current one when it is new).
/// </summary>
public sealed record AvroHistoryResult(EquatableArray<DiagnosticInfo> Diagnostics, AvroHistoryTypeSpec? Entry);
