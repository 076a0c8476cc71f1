using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Kappa.Analyzers.CodeFixes.Common;

internal static class SyntaxHelpers
{
    /// <summary>A fully qualified expression (e.g. System.StringComparer.Ordinal) that the code-action cleanup simplifies and imports.</summary>
    public static ExpressionSyntax Qualified(string text) =>
        SyntaxFactory.ParseExpression(text).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    /// <summary>The node the diagnostic of a code-fix context points at, with its syntax root and semantic model.</summary>
    public static async Task<(SyntaxNode Root, SyntaxNode Node, SemanticModel Model)?> FindAsync(Microsoft.CodeAnalysis.CodeFixes.CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || !root.FullSpan.Contains(context.Span))
        {
            return null;
        }

        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        return model is null ? null : (root, root.FindNode(context.Span, getInnermostNodeForTie: true), model);
    }

    /// <summary>Replaces <paramref name="node"/>, and adds the context parameter to the handler when the access needs it.</summary>
    public static async Task<Document> ReplaceWithContextAsync(Document document, SyntaxNode node, RecordContextAccess access, System.Func<ExpressionSyntax, ExpressionSyntax> build, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        ExpressionSyntax context = SyntaxFactory.IdentifierName(access.Name);
        editor.ReplaceNode(node, build(context).WithTriviaFrom(node));
        if (access.AddParameterTo is { } method)
        {
            ParameterSyntax parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(access.Name))
                .WithType(SyntaxFactory.ParseTypeName("global::Kappa.RecordContext").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation));
            editor.ReplaceNode(method.ParameterList, method.ParameterList.AddParameters(parameter));
        }

        return editor.GetChangedDocument();
    }

    /// <summary>The next free index for ctx.NewGuid(i) / ctx.CreateRandom(i) in the method: one more than the largest literal used.</summary>
    public static int NextIndex(SyntaxNode node, string contextName, string method)
    {
        SyntaxNode scope = node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax) ?? node;
        int next = 0;
        foreach (InvocationExpressionSyntax call in scope.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (call.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.ValueText: var name }
                && target.Identifier.ValueText == contextName && name == method)
            {
                int used = call.ArgumentList.Arguments.Count == 0 ? 0
                    : call.ArgumentList.Arguments[0].Expression is LiteralExpressionSyntax { Token.Value: int literal } ? literal : -1;
                if (used >= 0 && used + 1 > next)
                {
                    next = used + 1;
                }
            }
        }

        return next;
    }

    /// <summary>
    /// Adds <c>using {ns};</c> in ordinal order among the file's usings (no-op when present), ending it with the file's own
    /// end-of-line (the first one in the file; CRLF for a file that has none).
    /// </summary>
    public static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit, string ns)
    {
        if (unit.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == ns))
        {
            return unit;
        }

        UsingDirectiveSyntax directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ns)).WithAdditionalAnnotations(Formatter.Annotation);
        int index = 0;
        while (index < unit.Usings.Count && string.CompareOrdinal(unit.Usings[index].Name?.ToString(), ns) < 0)
        {
            index++;
        }

        SyntaxTrivia newLine = EndOfLine(unit);
        if (unit.Usings.Count == 0)
        {
            // First using of the file: keep the file's leading trivia (comments, #nullable) above it and leave a blank line after it.
            SyntaxTriviaList leading = unit.GetLeadingTrivia();
            unit = unit.WithoutLeadingTrivia();
            directive = directive.WithLeadingTrivia(leading).WithTrailingTrivia(newLine, newLine);
            return unit.WithUsings(unit.Usings.Add(directive));
        }

        return unit.WithUsings(unit.Usings.Insert(index, directive.WithTrailingTrivia(newLine)));
    }

    /// <summary>The end-of-line the document uses: its first end-of-line trivia, CRLF when it has none.</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode root)
    {
        foreach (SyntaxTrivia trivia in root.DescendantTrivia(descendIntoTrivia: true))
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return SyntaxFactory.ElasticEndOfLine(trivia.ToFullString());
            }
        }

        return SyntaxFactory.ElasticCarriageReturnLineFeed;
    }

    /// <summary>Whether <paramref name="typeName"/> in <paramref name="ns"/> can be named without qualification at <paramref name="position"/>.</summary>
    public static bool TypeInScope(SemanticModel model, int position, string ns, string typeName) =>
        model.LookupNamespacesAndTypes(position, name: typeName).Any(s => s.ContainingNamespace?.ToDisplayString() == ns);
}
