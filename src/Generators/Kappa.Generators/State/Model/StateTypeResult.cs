using Kappa.Generators.Common;

namespace Kappa.Generators.State.Model;

/// <summary>The resolved model of one state type (null when it cannot be generated) and its diagnostics.</summary>
public sealed record StateTypeResult(StateTypeSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
