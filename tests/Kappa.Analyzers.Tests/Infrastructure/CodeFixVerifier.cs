using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>
/// Code-fix tests: builds the source in an <see cref="AdhocWorkspace"/>, checks the analyzer reports exactly the marked
/// diagnostics, applies the fix (or fix-all) and compares the resulting document with the expected source. The result
/// must compile.
/// </summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Applies the fix to the first marked diagnostic; <paramref name="expected"/> null means no fix may be offered.</summary>
    public static async Task VerifyAsync(string markup, string? expected)
    {
        (AdhocWorkspace workspace, Document document, ImmutableArray<Diagnostic> diagnostics) = await PrepareAsync(markup);
        using (workspace)
        {
            var fix = new TCodeFix();
            var actions = new List<CodeAction>();
            Diagnostic diagnostic = diagnostics.OrderBy(d => d.Location.SourceSpan.Start).First(d => fix.FixableDiagnosticIds.Contains(d.Id));
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
            if (expected is null)
            {
                Assert.True(actions.Count == 0, "Expected no fix, got: " + string.Join(", ", actions.Select(a => a.Title)));
                return;
            }

            CodeAction action = Assert.Single(actions);
            await AssertResultAsync(await ApplyAsync(action, document), expected);
        }
    }

    /// <summary>Applies fix-all in the document; asserts the provider supports it.</summary>
    public static async Task VerifyFixAllAsync(string markup, string expected)
    {
        (AdhocWorkspace workspace, Document document, ImmutableArray<Diagnostic> diagnostics) = await PrepareAsync(markup);
        using (workspace)
        {
            var fix = new TCodeFix();
            FixAllProvider provider = fix.GetFixAllProvider() ?? throw new Xunit.Sdk.XunitException($"{typeof(TCodeFix).Name} has no fix-all provider.");
            var actions = new List<CodeAction>();
            Diagnostic first = diagnostics.OrderBy(d => d.Location.SourceSpan.Start).First(d => fix.FixableDiagnosticIds.Contains(d.Id));
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, first, (a, _) => actions.Add(a), CancellationToken.None));
            var context = new FixAllContext(document, fix, FixAllScope.Document, actions[0].EquivalenceKey, fix.FixableDiagnosticIds, new Provider(diagnostics), CancellationToken.None);
            CodeAction? all = await provider.GetFixAsync(context);
            Assert.NotNull(all);
            await AssertResultAsync(await ApplyAsync(all, document), expected);
        }
    }

    private static async Task<(AdhocWorkspace, Document, ImmutableArray<Diagnostic>)> PrepareAsync(string markup)
    {
        (string source, IReadOnlyList<(string Id, TextSpan Span)> expectedDiagnostics) = Markup.Parse(markup);
        var workspace = new AdhocWorkspace();
        ProjectInfo info = ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "TestProject", "TestProject", LanguageNames.CSharp,
            compilationOptions: TestCompilation.Options(), parseOptions: TestCompilation.ParseOptions, metadataReferences: TestCompilation.References);
        Project project = workspace.AddProject(info);
        project = project.AddDocument("GlobalUsings.cs", TestCompilation.GlobalUsings).Project;
        Document document = project.AddDocument("Test0.cs", source);
        Assert.True(workspace.TryApplyChanges(document.Project.Solution));
        document = workspace.CurrentSolution.GetDocument(document.Id)!;

        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        ImmutableArray<Diagnostic> diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        var actual = diagnostics.Where(d => d.Location.SourceTree?.FilePath == "Test0.cs" || d.Location.SourceTree?.FilePath.EndsWith("Test0.cs", StringComparison.Ordinal) == true)
            .Select(d => $"{d.Id} {d.Location.SourceSpan}").OrderBy(x => x, StringComparer.Ordinal).ToList();
        var wanted = expectedDiagnostics.Select(e => $"{e.Id} {e.Span}").OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.True(wanted.SequenceEqual(actual), $"Diagnostics differ. Expected: {string.Join("; ", wanted)}. Actual: {string.Join("; ", diagnostics.Select(d => d.ToString()))}");
        return (workspace, document, diagnostics.Where(d => actual.Contains($"{d.Id} {d.Location.SourceSpan}")).ToImmutableArray());
    }

    private static async Task<Document> ApplyAsync(CodeAction action, Document document)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        ApplyChangesOperation apply = Assert.Single(operations.OfType<ApplyChangesOperation>());
        return apply.ChangedSolution.GetDocument(document.Id)!;
    }

    private static async Task AssertResultAsync(Document document, string expected)
    {
        string actual = (await document.GetTextAsync()).ToString();
        if (expected.ReplaceLineEndings("\n") != actual.ReplaceLineEndings("\n"))
        {
            Assert.Fail("The fixed source differs.\n--- expected ---\n" + expected + "\n--- actual ---\n" + actual);
        }
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The fixed source does not compile:\n" + string.Join("\n", errors));
    }

    private sealed class Provider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
