using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// What the analysis shares across every processor of one compilation: well-known symbols, the banned-member list,
/// one semantic model per tree, and one memoized <see cref="MethodSummary"/> per method.
/// </summary>
internal sealed class CompilationState
{
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<MethodSummary>> _summaries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _vetted = new(SymbolEqualityComparer.Default);
    private int _summariesBuilt;

    public CompilationState(Compilation compilation, INamedTypeSymbol processorAttribute, INamedTypeSymbol consumeAttribute, BannedMembers banned)
    {
        Compilation = compilation;
        ProcessorAttribute = processorAttribute;
        ConsumeAttribute = consumeAttribute;
        DeterministicAttribute = compilation.GetTypeByMetadataName("Kappa.DeterministicAttribute");
        RecordContext = compilation.GetTypeByMetadataName("Kappa.RecordContext");
        FormatProvider = compilation.GetTypeByMetadataName("System.IFormatProvider");
        Banned = banned;
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol ProcessorAttribute { get; }

    public INamedTypeSymbol ConsumeAttribute { get; }

    public INamedTypeSymbol? DeterministicAttribute { get; }

    public INamedTypeSymbol? RecordContext { get; }

    public INamedTypeSymbol? FormatProvider { get; }

    public BannedMembers Banned { get; }

    public TypeNames Names { get; } = new();

    /// <summary>Per-type answers of the ordering rules ("is this a hash collection?"), computed once per type.</summary>
    public ConcurrentDictionary<ITypeSymbol, bool> UnorderedTypes { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>How many summaries were computed (each method at most once); the tests use it to prove memoization.</summary>
    public int SummariesBuilt => Volatile.Read(ref _summariesBuilt);

    public SemanticModel? GetModel(SyntaxTree tree)
    {
        if (!Compilation.ContainsSyntaxTree(tree))
        {
            return null;
        }

#pragma warning disable RS1030 // The call graph crosses files: a symbol action must reach the bodies of helpers declared in other trees.
        return _models.GetOrAdd(tree, t => Compilation.GetSemanticModel(t));
#pragma warning restore RS1030
    }

    public MethodSummary GetSummary(IMethodSymbol method, CancellationToken cancellationToken)
    {
        Lazy<MethodSummary> lazy = _summaries.GetOrAdd(
            method,
            m => new Lazy<MethodSummary>(
                () =>
                {
                    Interlocked.Increment(ref _summariesBuilt);
                    return new MethodSummaryBuilder(this, m, cancellationToken).Build();
                },
                LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }

    /// <summary>Whether the user vouched for <paramref name="symbol"/> (or its property, or an enclosing type) with [Deterministic].</summary>
    public bool IsVetted(ISymbol symbol)
    {
        if (DeterministicAttribute is null)
        {
            return false;
        }

        if (_vetted.TryGetValue(symbol, out bool known))
        {
            return known;
        }

        bool vetted = ComputeVetted(symbol);
        _vetted.TryAdd(symbol, vetted);
        return vetted;
    }

    private bool ComputeVetted(ISymbol symbol)
    {
        for (ISymbol? s = symbol.OriginalDefinition; s is not null; s = s is IMethodSymbol { AssociatedSymbol: { } p } ? p : s.ContainingType)
        {
            foreach (AttributeData attribute in s.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, DeterministicAttribute))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Assemblies the catalog covers: calls into them are judged by the catalog, not reported as unfollowable.</summary>
    public static bool IsFrameworkAssembly(IAssemblySymbol? assembly)
    {
        if (assembly is null)
        {
            return true;
        }

        string name = assembly.Name;
        return name.StartsWith("System", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal)
            || name is "mscorlib" or "netstandard" or "Kappa.Runtime";
    }
}
