using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Analyzers.CodeFixes.Common;

/// <summary>
/// Finds a <c>Kappa.RecordContext</c> usable at a node. RecordContext is a ref struct, so a lambda, anonymous method or
/// local function cannot capture it: inside one, only its own parameters count, and no parameter can be added.
/// Outside, the enclosing method's parameter is used, or - for a [Consume] handler, whose signature the generator adapts
/// to - one is added.
/// </summary>
internal static class RecordContextFinder
{
    public const string DefaultName = "ctx";

    public static RecordContextAccess? Find(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        INamedTypeSymbol? contextType = model.Compilation.GetTypeByMetadataName("Kappa.RecordContext");
        if (contextType is null)
        {
            return null;
        }

        foreach (SyntaxNode ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    {
                        string? own = FindParameter(ancestor, model, contextType, cancellationToken);
                        return own is null ? null : new RecordContextAccess(own, null);
                    }

                case BaseMethodDeclarationSyntax method:
                    {
                        string? existing = FindParameter(method, model, contextType, cancellationToken);
                        if (existing is not null)
                        {
                            return new RecordContextAccess(existing, null);
                        }

                        return CanAddParameter(method, model, cancellationToken) ? new RecordContextAccess(FreeName(method, model), method) : null;
                    }

                case PropertyDeclarationSyntax or IndexerDeclarationSyntax or AccessorDeclarationSyntax or TypeDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static string? FindParameter(SyntaxNode function, SemanticModel model, INamedTypeSymbol contextType, CancellationToken cancellationToken)
    {
        ISymbol? symbol = function switch
        {
            AnonymousFunctionExpressionSyntax lambda => model.GetSymbolInfo(lambda, cancellationToken).Symbol,
            _ => model.GetDeclaredSymbol(function, cancellationToken),
        };

        return symbol is IMethodSymbol method
            ? method.Parameters.FirstOrDefault(p => SymbolEqualityComparer.Default.Equals(p.Type, contextType) && p.RefKind is RefKind.None or RefKind.In or RefKind.RefReadOnlyParameter)?.Name
            : null;
    }

    private static bool CanAddParameter(BaseMethodDeclarationSyntax method, SemanticModel model, CancellationToken cancellationToken)
    {
        if (method is not MethodDeclarationSyntax declaration || declaration.Modifiers.Any(SyntaxKind.AsyncKeyword))
        {
            return false; // async methods cannot take ref struct parameters
        }

        if (model.GetDeclaredSymbol(declaration, cancellationToken) is not IMethodSymbol symbol)
        {
            return false;
        }

        INamedTypeSymbol? consume = model.Compilation.GetTypeByMetadataName("Kappa.ConsumeAttribute");
        return consume is not null && symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, consume));
    }

    private static string FreeName(BaseMethodDeclarationSyntax method, SemanticModel model)
    {
        int position = method.Body?.SpanStart ?? method.ExpressionBody?.SpanStart ?? method.SpanStart;
        string name = DefaultName;
        for (int i = 1; !model.LookupSymbols(position, name: name).IsEmpty || method.ParameterList.Parameters.Any(p => p.Identifier.ValueText == name); i++)
        {
            name = DefaultName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }
}
