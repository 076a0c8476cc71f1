using Kappa.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kappa.Analyzers.Tests.Catalog;

/// <summary>
/// Enumerates the public API of the reference assemblies the tests compile against (the SDK's Microsoft.NETCore.App.Ref
/// pack and the Microsoft.Extensions assemblies), by Roslyn symbols: the ground truth the analyzer catalogs are audited against.
/// </summary>
public static class ReferenceAssemblyScan
{
    private static readonly Lazy<CSharpCompilation> LazyCompilation = new(() =>
        CSharpCompilation.Create("Scan", references: KappaTestReferences.All));

    public static CSharpCompilation Compilation => LazyCompilation.Value;

    /// <summary>Every public type defined (not forwarded) in a framework reference assembly, nested types included.</summary>
    public static IEnumerable<INamedTypeSymbol> PublicTypes()
    {
        foreach (MetadataReference reference in Compilation.References)
        {
            if (Compilation.GetAssemblyOrModuleSymbol(reference) is not IAssemblySymbol assembly
                || !(assembly.Name.StartsWith("System", StringComparison.Ordinal) || assembly.Name.StartsWith("Microsoft.", StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (INamedTypeSymbol type in Types(assembly.GlobalNamespace))
            {
                yield return type;
            }
        }
    }

    /// <summary>
    /// Public methods and constructors without an IFormatProvider/CultureInfo parameter that have a sibling overload (same
    /// type, name, static-ness and generic arity) whose parameters are theirs plus one IFormatProvider or CultureInfo: the
    /// members that format or parse with an implicit provider if any does. Keyed by documentation ID.
    /// </summary>
    public static IReadOnlyList<IMethodSymbol> MembersWithFormatProviderSibling()
    {
        INamedTypeSymbol provider = Compilation.GetTypeByMetadataName("System.IFormatProvider")!;
        var result = new List<IMethodSymbol>();
        foreach (INamedTypeSymbol type in PublicTypes())
        {
            foreach (IGrouping<string, IMethodSymbol> group in type.GetMembers().OfType<IMethodSymbol>()
                .Where(m => m.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected && m.MethodKind is MethodKind.Ordinary or MethodKind.Constructor)
                .GroupBy(m => m.Name))
            {
                List<IMethodSymbol> withProvider = group.Where(m => m.Parameters.Count(p => IsProvider(p.Type, provider)) == 1).ToList();
                if (withProvider.Count == 0)
                {
                    continue;
                }

                foreach (IMethodSymbol method in group)
                {
                    if (method.Parameters.Any(p => IsProvider(p.Type, provider)))
                    {
                        continue;
                    }

                    string signature = Signature(method.Parameters);
                    if (withProvider.Any(s => s.IsStatic == method.IsStatic && s.Arity == method.Arity
                        && Signature(s.Parameters.Where(p => !IsProvider(p.Type, provider))) == signature))
                    {
                        result.Add(method);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The public members a catalog classifies for <paramref name="typeName"/> (methods, constructors, properties, fields and
    /// events declared on the type itself; accessors are covered by their property or event, nested types are types of their own).
    /// </summary>
    public static IEnumerable<ISymbol> PublicMembers(string typeName) =>
        PublicTypes().Where(t => t.ToDisplayString() == typeName)
            .SelectMany(t => t.GetMembers())
            .Where(m => m.DeclaredAccessibility == Accessibility.Public && m is not INamedTypeSymbol && m is not IMethodSymbol { AssociatedSymbol: not null }
                && m is not IMethodSymbol { MethodKind: MethodKind.StaticConstructor or MethodKind.Destructor });

    public static string Id(ISymbol symbol) => symbol.GetDocumentationCommentId() ?? throw new InvalidOperationException("No documentation ID for " + symbol);

    private static bool IsProvider(ITypeSymbol type, INamedTypeSymbol provider) =>
        SymbolEqualityComparer.Default.Equals(type, provider) || (type.TypeKind == TypeKind.Class && type.AllInterfaces.Contains(provider, SymbolEqualityComparer.Default));

    private static string Signature(IEnumerable<IParameterSymbol> parameters) =>
        string.Join(",", parameters.Select(p => p.RefKind + " " + p.Type.ToDisplayString()));

    private static IEnumerable<INamedTypeSymbol> Types(INamespaceSymbol ns)
    {
        foreach (INamespaceOrTypeSymbol member in ns.GetMembers())
        {
            if (member is INamespaceSymbol child)
            {
                foreach (INamedTypeSymbol t in Types(child))
                {
                    yield return t;
                }
            }
            else if (member is INamedTypeSymbol type)
            {
                foreach (INamedTypeSymbol t in Nested(type))
                {
                    yield return t;
                }
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> Nested(INamedTypeSymbol type)
    {
        if (type.DeclaredAccessibility != Accessibility.Public)
        {
            yield break;
        }

        yield return type;
        foreach (INamedTypeSymbol nested in type.GetTypeMembers())
        {
            foreach (INamedTypeSymbol t in Nested(nested))
            {
                yield return t;
            }
        }
    }
}
