using Kappa.Generators.Common;

namespace Kappa.Generators.Processors.Model;

/// <summary>What the parser makes of one [StreamProcessor] class: a model when it can be generated, and its diagnostics.</summary>
public sealed record ProcessorParseResult(ProcessorSpec? Spec, ProcessorIdentity? Identity, EquatableArray<DiagnosticInfo> Diagnostics);
