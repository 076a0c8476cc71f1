using System.Collections.Immutable;
using System.Composition;
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
/// KAPPA101: replaces a wall-clock read with the record's timestamp (DateTimeOffset reads -> <c>ctx.Timestamp</c>,
/// DateTime reads -> <c>ctx.Timestamp.UtcDateTime</c>, <c>DateTime.Today</c> -> <c>ctx.Timestamp.UtcDateTime.Date</c>).
/// No fix-all: processing time becomes event time, which changes what the value means, so each site needs a look
/// (e.g. <c>DateTime.Now</c> was local time and becomes UTC).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WallClockCodeFixProvider)), Shared]
public sealed class WallClockCodeFixProvider : CodeFixProvider
{
    public const string Title = "Use the record's timestamp (ctx.Timestamp)";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.WallClock.Id);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        if (await SyntaxHelpers.FindAsync(context).ConfigureAwait(false) is not { Node: ExpressionSyntax node, Model: var model })
        {
            return;
        }

        string? suffix = Replacement(model.GetSymbolInfo(node, context.CancellationToken).Symbol);
        RecordContextAccess? access = suffix is null ? null : RecordContextFinder.Find(node, model, context.CancellationToken);
        if (suffix is null || access is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                Title,
                ct => SyntaxHelpers.ReplaceWithContextAsync(context.Document, node, access, c => SyntaxFactory.ParseExpression(c + suffix), ct),
                equivalenceKey: nameof(WallClockCodeFixProvider)),
            context.Diagnostics);
    }

    private static string? Replacement(ISymbol? symbol)
    {
        string? type = symbol?.ContainingType?.ToDisplayString();
        return (type, symbol?.Name) switch
        {
            ("System.DateTimeOffset", "UtcNow" or "Now") => ".Timestamp",
            ("System.DateTime", "UtcNow" or "Now") => ".Timestamp.UtcDateTime",
            ("System.DateTime", "Today") => ".Timestamp.UtcDateTime.Date",
            ("System.TimeProvider", "GetUtcNow" or "GetLocalNow") => ".Timestamp",
            _ => null,
        };
    }
}
