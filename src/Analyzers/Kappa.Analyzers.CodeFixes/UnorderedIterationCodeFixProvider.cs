using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kappa.Analyzers.CodeFixes.Common;
using Kappa.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Analyzers.CodeFixes;

/// <summary>
/// KAPPA107: orders the collection before it is iterated - <c>set.OrderBy(x => x, StringComparer.Ordinal)</c> for strings,
/// <c>set.OrderBy(x => x)</c> for other comparable elements, and <c>dict.OrderBy(kv => kv.Key, ...)</c> for dictionaries.
/// No fix when the element (or key) type has no natural order. Fix-all is enabled: every site gets the same, total order.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnorderedIterationCodeFixProvider)), Shared]
public sealed class UnorderedIterationCodeFixProvider : CodeFixProvider
{
    public const string Title = "Iterate in a defined order (OrderBy)";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnorderedIteration.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        if (await SyntaxHelpers.FindAsync(context).ConfigureAwait(false) is not { Node: ExpressionSyntax node, Model: var model } f)
        {
            return;
        }

        ExpressionSyntax? ordered = Order(node, model, context.CancellationToken);
        if (ordered is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                Title,
                ct =>
                {
                    SyntaxNode root = f.Root.ReplaceNode(node, ordered.WithTriviaFrom(node));
                    if (root is CompilationUnitSyntax unit && !LinqInScope(node, ordered, model))
                    {
                        root = SyntaxHelpers.AddUsing(unit, "System.Linq");
                    }

                    return Task.FromResult(context.Document.WithSyntaxRoot(root));
                },
                equivalenceKey: nameof(UnorderedIterationCodeFixProvider)),
            context.Diagnostics);
    }

    private static ExpressionSyntax? Order(ExpressionSyntax node, SemanticModel model, CancellationToken cancellationToken)
    {
        ITypeSymbol? element = ElementType(model.GetTypeInfo(node, cancellationToken).Type);
        if (element is null)
        {
            return null;
        }

        bool pair = element is INamedTypeSymbol { Name: "KeyValuePair", TypeArguments.Length: 2 } kv && kv.ContainingNamespace.ToDisplayString() == "System.Collections.Generic";
        ITypeSymbol key = pair ? ((INamedTypeSymbol)element).TypeArguments[0] : element;
        bool isString = key.SpecialType == SpecialType.System_String;
        if (!isString && !IsComparable(key))
        {
            return null;
        }

        string parameter = FreeName(model, node.SpanStart, pair ? "kv" : "x");
        string selector = pair ? $"{parameter} => {parameter}.Key" : $"{parameter} => {parameter}";
        var arguments = SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Argument(SyntaxFactory.ParseExpression(selector)) });
        if (isString)
        {
            arguments = arguments.Add(SyntaxFactory.Argument(SyntaxHelpers.Qualified("System.StringComparer.Ordinal")));
        }

        ExpressionSyntax receiver = node.WithoutTrivia();
        if (receiver is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax or ThisExpressionSyntax))
        {
            receiver = SyntaxFactory.ParenthesizedExpression(receiver);
        }

        return SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName("OrderBy")),
            SyntaxFactory.ArgumentList(arguments));
    }

    private static ITypeSymbol? ElementType(ITypeSymbol? type)
    {
        if (type is null)
        {
            return null;
        }

        foreach (INamedTypeSymbol? candidate in new[] { type as INamedTypeSymbol }.Concat(type.AllInterfaces))
        {
            if (candidate?.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
            {
                return candidate.TypeArguments[0];
            }
        }

        return null;
    }

    private static bool IsComparable(ITypeSymbol type) =>
        type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_DateTime
        || type.TypeKind == TypeKind.Enum
        || type.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == "System.IComparable<T>" && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], type));

    private static string FreeName(SemanticModel model, int position, string name)
    {
        string candidate = name;
        for (int i = 1; !model.LookupSymbols(position, name: candidate).IsEmpty; i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static bool LinqInScope(ExpressionSyntax original, ExpressionSyntax ordered, SemanticModel model)
    {
        SymbolInfo info = model.GetSpeculativeSymbolInfo(original.SpanStart, ordered, SpeculativeBindingOption.BindAsExpression);
        return info.Symbol is not null || !info.CandidateSymbols.IsEmpty;
    }
}
