using Kappa.Generators.Common;

namespace Kappa.Generators.State.Model;

/// <summary>What the parser produced for one [ProcessorState] type: the declaration (null when unusable) and diagnostics.</summary>
public sealed record StateDeclarationResult(StateDeclarationSpec? Declaration, EquatableArray<DiagnosticInfo> Diagnostics);
