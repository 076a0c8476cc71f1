using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Determinism;

/// <summary>Full metadata names of types and namespaces ("System.Collections.Generic.Dictionary`2+KeyCollection"), cached per compilation.</summary>
internal sealed class TypeNames
{
    private readonly ConcurrentDictionary<ISymbol, string> _names = new(SymbolEqualityComparer.Default);

    public string FullName(ITypeSymbol type) => _names.GetOrAdd(type.OriginalDefinition, static t => Compute((ITypeSymbol)t));

    public string Namespace(ITypeSymbol type)
    {
        INamespaceSymbol? ns = type.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? string.Empty : _names.GetOrAdd(ns, static n => n.ToDisplayString());
    }

    private static string Compute(ITypeSymbol type)
    {
        if (type.ContainingType is { } outer)
        {
            return Compute(outer.OriginalDefinition) + "+" + type.MetadataName;
        }

        INamespaceSymbol? ns = type.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? type.MetadataName : ns.ToDisplayString() + "." + type.MetadataName;
    }
}
