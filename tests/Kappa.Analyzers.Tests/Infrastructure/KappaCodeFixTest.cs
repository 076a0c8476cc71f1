using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>
/// The standard code-fix test (markup in <c>TestCode</c>, the expected <c>FixedCode</c>, fix-all in document, project and
/// solution for providers that have one; <c>FixedCode == TestCode</c> means no fix may be offered) with Kappa's setup.
/// </summary>
public class KappaCodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public KappaCodeFixTest() => KappaTestSetup.Apply(this);

    protected override CompilationOptions CreateCompilationOptions() => KappaTestSetup.Options(base.CreateCompilationOptions());

    protected override ParseOptions CreateParseOptions() => KappaTestSetup.Parse(base.CreateParseOptions());

    protected override Project ApplyCompilationOptions(Project project) =>
        KappaTestSetup.RestoreDefaultSeverities(base.ApplyCompilationOptions(project), GetDiagnosticAnalyzers());

    protected override Task RunImplAsync(CancellationToken cancellationToken)
    {
        KappaTestSetup.AddGlobalUsings(TestState);
        KappaTestSetup.AddGlobalUsings(FixedState);
        KappaTestSetup.AddGlobalUsings(BatchFixedState);
        return base.RunImplAsync(cancellationToken);
    }

    /// <summary>
    /// Kappa's providers offer one fix per diagnostic (or none). The harness applies the first action it is offered and
    /// has no check that there was only one, so the registration callback fails on a second action for one diagnostic.
    /// </summary>
    protected override CodeFixContext CreateCodeFixContext(Document document, TextSpan span, ImmutableArray<Diagnostic> diagnostics, Action<CodeAction, ImmutableArray<Diagnostic>> registerCodeFix, CancellationToken cancellationToken)
    {
        var offered = new List<string>();
        return base.CreateCodeFixContext(document, span, diagnostics, (action, fixedDiagnostics) =>
        {
            lock (offered)
            {
                offered.Add(action.Title);
                if (offered.Count > 1)
                {
                    throw new InvalidOperationException($"{typeof(TCodeFix).Name} offered more than one fix for {string.Join(", ", diagnostics.Select(d => d.Id))} at {span}: {string.Join(" | ", offered)}");
                }
            }

            registerCodeFix(action, fixedDiagnostics);
        }, cancellationToken);
    }
}

/// <summary>Short forms for the Kappa code-fix tests, which all run on <see cref="Kappa.Analyzers.Determinism.DeterminismAnalyzer"/>.</summary>
public static class KappaCodeFix
{
    /// <summary>
    /// Verifies the marked diagnostics, applies the fix (one site at a time, and with fix-all when the provider has one)
    /// and compares with <paramref name="expected"/>; <paramref name="expected"/> null means no fix may be offered.
    /// </summary>
    public static Task VerifyAsync<TCodeFix>(string markup, string? expected)
        where TCodeFix : CodeFixProvider, new() =>
        new KappaCodeFixTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer, TCodeFix>
        {
            TestCode = markup,
            FixedCode = expected ?? markup,
        }.RunAsync();
}
