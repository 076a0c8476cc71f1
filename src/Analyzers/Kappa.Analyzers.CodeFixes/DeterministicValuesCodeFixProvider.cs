using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
/// KAPPA102/KAPPA103: <c>Guid.NewGuid()</c>/<c>Guid.CreateVersion7()</c> -> <c>ctx.NewGuid(i)</c> (UUIDv5 from
/// topic/partition/offset/i) and <c>new Random()</c>/<c>new Random(seed)</c>/<c>Random.Shared</c> -> <c>ctx.CreateRandom(i)</c>,
/// where i is the next index not yet used in the method, so two ids of one record stay distinct.
/// No fix-all: the values change (random becomes a function of the record), and a call inside a loop would return the
/// same id or sequence on every iteration - each site must be checked.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeterministicValuesCodeFixProvider)), Shared]
public sealed class DeterministicValuesCodeFixProvider : CodeFixProvider
{
    public const string GuidTitle = "Use a deterministic id from the record (ctx.NewGuid)";
    public const string RandomTitle = "Use a generator seeded from the record (ctx.CreateRandom)";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.RandomValues.Id, DiagnosticDescriptors.SeededRandom.Id);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        if (await SyntaxHelpers.FindAsync(context).ConfigureAwait(false) is not { Node: ExpressionSyntax node, Model: var model })
        {
            return;
        }

        ISymbol? symbol = model.GetSymbolInfo(node, context.CancellationToken).Symbol;
        string? type = symbol?.ContainingType?.ToDisplayString();
        (string Method, string Title)? target = (type, symbol) switch
        {
            ("System.Guid", IMethodSymbol { Name: "NewGuid" or "CreateVersion7" }) => ("NewGuid", GuidTitle),
            ("System.Random", IMethodSymbol { MethodKind: MethodKind.Constructor }) => ("CreateRandom", RandomTitle),
            ("System.Random", IPropertySymbol { Name: "Shared" }) => ("CreateRandom", RandomTitle),
            _ => null,
        };

        RecordContextAccess? access = target is null ? null : RecordContextFinder.Find(node, model, context.CancellationToken);
        if (target is not { } t || access is null)
        {
            return;
        }

        int index = SyntaxHelpers.NextIndex(node, access.Name, t.Method);
        string arguments = index == 0 ? string.Empty : index.ToString(CultureInfo.InvariantCulture);
        context.RegisterCodeFix(
            CodeAction.Create(
                t.Title,
                ct => SyntaxHelpers.ReplaceWithContextAsync(context.Document, node, access, c => SyntaxFactory.ParseExpression($"{c}.{t.Method}({arguments})"), ct),
                equivalenceKey: nameof(DeterministicValuesCodeFixProvider) + t.Method),
            context.Diagnostics);
    }
}
