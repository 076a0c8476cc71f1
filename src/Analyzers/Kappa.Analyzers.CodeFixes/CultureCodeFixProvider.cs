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
/// KAPPA109: makes formatting, parsing, casing and comparison culture-independent - adds
/// <c>CultureInfo.InvariantCulture</c> where an overload takes an IFormatProvider, <c>StringComparison.Ordinal</c> /
/// <c>StringComparer.Ordinal</c> to comparisons, ToUpperInvariant/ToLowerInvariant for casing, and wraps interpolated
/// strings in <c>string.Create(CultureInfo.InvariantCulture, ...)</c>, and formats values concatenated or appended
/// implicitly with <c>.ToString(CultureInfo.InvariantCulture)</c>. Time zone findings have no automatic fix.
/// Fix-all is enabled: each site is independent, and the result is the same on every machine (it only differs from
/// before on machines whose culture was not invariant-compatible, which is the bug being fixed).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CultureCodeFixProvider)), Shared]
public sealed class CultureCodeFixProvider : CodeFixProvider
{
    public const string Title = "Use the invariant culture / ordinal comparison";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.Culture.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        if (await SyntaxHelpers.FindAsync(context).ConfigureAwait(false) is not { Model: var model } f)
        {
            return;
        }

        SyntaxNode? replacement = Rewrite(f.Node, model, context.CancellationToken);
        if (replacement is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                Title,
                _ =>
                {
                    SyntaxNode root = f.Root.ReplaceNode(f.Node, replacement.WithTriviaFrom(f.Node));
                    if (root is CompilationUnitSyntax unit && replacement.ToString().Contains("System.Globalization.")
                        && !SyntaxHelpers.TypeInScope(model, f.Node.SpanStart, "System.Globalization", "CultureInfo"))
                    {
                        root = SyntaxHelpers.AddUsing(unit, "System.Globalization");
                    }

                    return Task.FromResult(context.Document.WithSyntaxRoot(root));
                },
                equivalenceKey: nameof(CultureCodeFixProvider)),
            context.Diagnostics);
    }

    private static SyntaxNode? Rewrite(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node is ExpressionSyntax value && ImplicitFormattingFix.IsSite(value, model, cancellationToken))
        {
            return ImplicitFormattingFix.ToInvariantString(value);
        }

        switch (node)
        {
            case ObjectCreationExpressionSyntax { ArgumentList: { } list } creation when model.GetSymbolInfo(creation, cancellationToken).Symbol is IMethodSymbol constructor:
                return Insert(list, constructor, "System.IFormatProvider", "System.Globalization.CultureInfo.InvariantCulture") is { } arguments ? creation.WithArgumentList(arguments) : null;

            case InterpolatedStringExpressionSyntax interpolated:
                return SyntaxFactory.InvocationExpression(
                    SyntaxHelpers.Qualified("string.Create"),
                    Arguments(SyntaxHelpers.Qualified("System.Globalization.CultureInfo.InvariantCulture"), interpolated.WithoutTrivia()));

            case MemberAccessExpressionSyntax access when model.GetSymbolInfo(access, cancellationToken).Symbol is IPropertySymbol property:
                return (property.ContainingType.ToDisplayString(), property.Name) switch
                {
                    ("System.Collections.Generic.Comparer<string>", "Default") => SyntaxHelpers.Qualified("System.StringComparer.Ordinal"),
                    ("System.StringComparer", "CurrentCulture") => SyntaxHelpers.Qualified("System.StringComparer.Ordinal"),
                    ("System.StringComparer", "CurrentCultureIgnoreCase") => SyntaxHelpers.Qualified("System.StringComparer.OrdinalIgnoreCase"),
                    ("System.Globalization.CultureInfo", "CurrentCulture" or "CurrentUICulture") => SyntaxHelpers.Qualified("System.Globalization.CultureInfo.InvariantCulture"),
                    ("System.Globalization.NumberFormatInfo", "CurrentInfo") => SyntaxHelpers.Qualified("System.Globalization.NumberFormatInfo.InvariantInfo"),
                    ("System.Globalization.DateTimeFormatInfo", "CurrentInfo") => SyntaxHelpers.Qualified("System.Globalization.DateTimeFormatInfo.InvariantInfo"),
                    _ => null,
                };

            case InvocationExpressionSyntax invocation when model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method:
                return RewriteInvocation(invocation, method);

            default:
                return null;
        }
    }

    private static SyntaxNode? RewriteInvocation(InvocationExpressionSyntax invocation, IMethodSymbol method)
    {
        if (invocation.ArgumentList.Arguments.Any(a => a.NameColon is not null))
        {
            return null;
        }

        string type = method.ContainingType.ToDisplayString();
        switch (method.Name)
        {
            case "ToUpper" or "ToLower" when type is "string" or "char" && invocation.Expression is MemberAccessExpressionSyntax access:
                return invocation.WithExpression(access.WithName(SyntaxFactory.IdentifierName(method.Name + "Invariant")));

            case "CompareTo" when type == "string" && invocation.Expression is MemberAccessExpressionSyntax access && invocation.ArgumentList.Arguments.Count == 1:
                return SyntaxFactory.InvocationExpression(
                    SyntaxHelpers.Qualified("string.CompareOrdinal"),
                    Arguments(access.Expression.WithoutTrivia(), invocation.ArgumentList.Arguments[0].Expression));

            case "Compare" when type == "string" && method.Parameters.Length == 3 && method.Parameters[2].Type.SpecialType == SpecialType.System_Boolean
                && invocation.ArgumentList.Arguments[2].Expression is LiteralExpressionSyntax { Token.Value: bool ignoreCase }:
                return invocation.WithArgumentList(invocation.ArgumentList.WithArguments(invocation.ArgumentList.Arguments.Replace(
                    invocation.ArgumentList.Arguments[2],
                    SyntaxFactory.Argument(SyntaxHelpers.Qualified(ignoreCase ? "System.StringComparison.OrdinalIgnoreCase" : "System.StringComparison.Ordinal")))));

            case "Compare" or "StartsWith" or "EndsWith" or "IndexOf" or "LastIndexOf" when type == "string":
                return Insert(invocation.ArgumentList, method, "System.StringComparison", "System.StringComparison.Ordinal") is { } ordinal ? invocation.WithArgumentList(ordinal) : null;

            case "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending" or "Order" or "OrderDescending" or "Sort":
                return invocation.WithArgumentList(invocation.ArgumentList.AddArguments(SyntaxFactory.Argument(SyntaxHelpers.Qualified("System.StringComparer.Ordinal"))));

            default:
                return Insert(invocation.ArgumentList, method, "System.IFormatProvider", "System.Globalization.CultureInfo.InvariantCulture") is { } invariant ? invocation.WithArgumentList(invariant) : null;
        }
    }

    /// <summary>Inserts <paramref name="argument"/> where the overload that differs only by a <paramref name="parameterType"/> parameter takes it.</summary>
    private static ArgumentListSyntax? Insert(ArgumentListSyntax list, IMethodSymbol method, string parameterType, string argument)
    {
        foreach (IMethodSymbol candidate in method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>())
        {
            if (candidate.IsStatic != method.IsStatic || candidate.Parameters.Length != method.Parameters.Length + 1)
            {
                continue;
            }

            for (int k = 0; k < candidate.Parameters.Length; k++)
            {
                ITypeSymbol parameter = candidate.Parameters[k].Type;
                if (parameter.ContainingNamespace?.ToDisplayString() + "." + parameter.Name != parameterType)
                {
                    continue;
                }

                bool same = true;
                for (int i = 0, j = 0; i < method.Parameters.Length; i++, j++)
                {
                    if (j == k)
                    {
                        j++;
                    }

                    same &= SymbolEqualityComparer.Default.Equals(method.Parameters[i].Type, candidate.Parameters[j].Type)
                        && method.Parameters[i].RefKind == candidate.Parameters[j].RefKind;
                }

                if (same && k <= list.Arguments.Count && !list.Arguments.Any(a => a.NameColon is not null))
                {
                    return list.WithArguments(list.Arguments.Insert(k, SyntaxFactory.Argument(SyntaxHelpers.Qualified(argument))));
                }
            }
        }

        return null;
    }

    private static ArgumentListSyntax Arguments(params ExpressionSyntax[] expressions) =>
        SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(expressions.Select(SyntaxFactory.Argument)));
}
