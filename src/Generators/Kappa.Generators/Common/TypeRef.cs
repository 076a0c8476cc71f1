using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Common;

/// <summary>A symbol-free reference to a type: its fully qualified name with <c>global::</c>, and whether it is a value type.</summary>
public sealed record TypeRef(string FullyQualifiedName, bool IsValueType)
{
    public static TypeRef From(ITypeSymbol type) =>
        new(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), type.IsValueType);

    public override string ToString() => FullyQualifiedName;
}
