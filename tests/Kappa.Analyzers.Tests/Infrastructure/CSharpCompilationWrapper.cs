using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>A compilation and the analyzer diagnostics reported on it.</summary>
public sealed record CSharpCompilationWrapper(Compilation Compilation, ImmutableArray<Diagnostic> Diagnostics);
