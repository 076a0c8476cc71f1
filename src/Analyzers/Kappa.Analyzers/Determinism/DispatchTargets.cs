using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// Resolves a call through an interface, or to a virtual or abstract member, to every implementation or override declared
/// in the compilation's source (computed once per member and shared by every summary).
/// </summary>
internal sealed class DispatchTargets
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _targets = new(SymbolEqualityComparer.Default);
    private ImmutableArray<INamedTypeSymbol> _sourceTypes;

    public DispatchTargets(Compilation compilation) => _compilation = compilation;

    /// <summary>The source implementations/overrides of <paramref name="method"/> (original definitions), in a fixed order for one compilation.</summary>
    public ImmutableArray<IMethodSymbol> Resolve(IMethodSymbol method, CancellationToken cancellationToken) =>
        _targets.GetOrAdd(method.OriginalDefinition, m => Compute(m, cancellationToken));

    private ImmutableArray<IMethodSymbol> Compute(IMethodSymbol method, CancellationToken cancellationToken)
    {
        INamedTypeSymbol? declaring = method.ContainingType;
        if (declaring is null)
        {
            return ImmutableArray<IMethodSymbol>.Empty;
        }

        var result = new List<IMethodSymbol>();
        foreach (INamedTypeSymbol type in SourceTypes(cancellationToken))
        {
            if (type.TypeKind == TypeKind.Interface)
            {
                continue;
            }

            if (declaring.TypeKind == TypeKind.Interface)
            {
                foreach (INamedTypeSymbol implemented in type.AllInterfaces)
                {
                    if (!SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, declaring.OriginalDefinition))
                    {
                        continue;
                    }

                    ISymbol? member = implemented.GetMembers(method.Name).FirstOrDefault(s => s is IMethodSymbol m && SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method));
                    if (member is not null && type.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation)
                    {
                        result.Add(implementation.OriginalDefinition);
                    }
                }
            }
            else
            {
                foreach (IMethodSymbol candidate in type.GetMembers().OfType<IMethodSymbol>())
                {
                    if (candidate.IsOverride && Overrides(candidate, method))
                    {
                        result.Add(candidate.OriginalDefinition);
                    }
                }
            }
        }

        return result.Distinct<IMethodSymbol>(SymbolEqualityComparer.Default).ToImmutableArray();
    }

    private static bool Overrides(IMethodSymbol candidate, IMethodSymbol method)
    {
        for (IMethodSymbol? m = candidate.OverriddenMethod; m is not null; m = m.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method))
            {
                return true;
            }
        }

        return false;
    }

    private ImmutableArray<INamedTypeSymbol> SourceTypes(CancellationToken cancellationToken)
    {
        if (_sourceTypes.IsDefault)
        {
            var types = new List<INamedTypeSymbol>();
            var stack = new Stack<INamespaceOrTypeSymbol>();
            stack.Push(_compilation.Assembly.GlobalNamespace);
            while (stack.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (ISymbol member in stack.Pop().GetMembers())
                {
                    if (member is INamespaceSymbol ns)
                    {
                        stack.Push(ns);
                    }
                    else if (member is INamedTypeSymbol type)
                    {
                        types.Add(type);
                        stack.Push(type);
                    }
                }
            }

            ImmutableInterlocked.InterlockedInitialize(ref _sourceTypes, types.ToImmutableArray());
        }

        return _sourceTypes;
    }
}
