using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// What the analysis shares across every processor of one compilation: well-known symbols, the banned-member list,
/// and one memoized <see cref="MethodSummary"/> per method.
/// </summary>
internal sealed class CompilationState
{
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<MethodSummary>> _summaries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _vetted = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _implicitCulture = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, UnknownOriginPolicy> _policies = new();
    private readonly ConcurrentDictionary<ISymbol, StorageValues> _memberValues = new(SymbolEqualityComparer.Default);
    private readonly AnalyzerConfigOptionsProvider? _options;
    private readonly ConcurrentDictionary<ISymbol, DiagnosticDescriptor?> _runtimeMembers = new(SymbolEqualityComparer.Default);
    private int _summariesBuilt;

    public CompilationState(Compilation compilation, INamedTypeSymbol processorAttribute, INamedTypeSymbol consumeAttribute, BannedMembers banned, AnalyzerConfigOptionsProvider? options = null)
    {
        _options = options;
        Compilation = compilation;
        ProcessorAttribute = processorAttribute;
        ConsumeAttribute = consumeAttribute;
        DeterministicAttribute = compilation.GetTypeByMetadataName("Kappa.DeterministicAttribute");
        RecordContext = compilation.GetTypeByMetadataName("Kappa.RecordContext");
        FormatProvider = compilation.GetTypeByMetadataName("System.IFormatProvider");
        Banned = banned;
        Dispatch = new DispatchTargets(compilation);
    }

    /// <summary>Implementations and overrides in the compilation, for calls through interfaces and virtual members.</summary>
    public DispatchTargets Dispatch { get; }

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

    /// <summary>
    /// Whether a framework method or constructor formats, parses or looks up with the current culture when called as it
    /// is (<see cref="ImplicitCultureCatalog.ImplicitProvider"/>), computed once per symbol.
    /// </summary>
    public bool UsesImplicitCulture(IMethodSymbol method)
    {
        string name = method.MethodKind == MethodKind.Constructor ? "#ctor" : method.Name;
        if (!ImplicitCultureCatalog.Names.Contains(name))
        {
            return false;
        }

        IMethodSymbol definition = (method.ReducedFrom ?? method).OriginalDefinition;
        return _implicitCulture.GetOrAdd(definition, static m => m.GetDocumentationCommentId() is { } id && ImplicitCultureCatalog.ImplicitProvider.Contains(id));
    }

    /// <summary>The unknown-origin policy (.editorconfig) that applies to code in <paramref name="tree"/>.</summary>
    public UnknownOriginPolicy GetPolicy(SyntaxTree tree) =>
        _options is null ? UnknownOriginPolicy.DictionariesAndSets : _policies.GetOrAdd(tree, t => UnknownOriginPolicyReader.Read(_options.GetOptions(t)));

    /// <summary>The values assigned to a field or auto-property anywhere in its type, computed once per member.</summary>
    public StorageValues GetMemberValues(ISymbol member, System.Func<ISymbol, StorageValues> compute) => _memberValues.GetOrAdd(member, compute);

    /// <summary>
    /// The verdict of <see cref="RuntimeEnvironmentCatalog"/> for a framework member: false when its type is not in the
    /// catalog; otherwise true with the descriptor that reports it (null when accepted).
    /// </summary>
    public bool TryClassifyRuntimeMember(ISymbol member, out DiagnosticDescriptor? descriptor)
    {
        descriptor = null;
        if (member.ContainingType is not { } type || !RuntimeEnvironmentCatalog.Types.Contains(Names.FullName(type.OriginalDefinition)))
        {
            return false;
        }

        descriptor = _runtimeMembers.GetOrAdd(member.OriginalDefinition, static m =>
        {
            string? id = m.GetDocumentationCommentId();
            string? rule = id is not null && RuntimeEnvironmentCatalog.Members.TryGetValue(id, out RuntimeMember? known) ? known.Rule : RuntimeEnvironmentCatalog.DefaultRule;
            return rule is null ? null : Common.DiagnosticDescriptors.ById(rule);
        });
        return true;
    }

    /// <summary>How many summaries were computed (each method at most once); the tests use it to prove memoization.</summary>
    public int SummariesBuilt => Volatile.Read(ref _summariesBuilt);

    public SemanticModel? GetModel(SyntaxTree tree)
    {
        if (!Compilation.ContainsSyntaxTree(tree))
        {
            return null;
        }

        // Not cached here: under the analyzer driver, Compilation.GetSemanticModel returns the driver's shared model for the
        // tree (its caching semantic-model provider), and outside it a model per method keeps bound trees collectable.
#pragma warning disable RS1030 // The call graph crosses files: a symbol action must reach the bodies of helpers declared in other trees.
        return Compilation.GetSemanticModel(tree);
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
