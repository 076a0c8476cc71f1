using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>
/// The standard analyzer test (markup <c>{|KAPPA101:DateTime.UtcNow|}</c>, exact diagnostics, no compiler errors unless
/// listed, analyzer exceptions fail the test, and the harness's generated-code and suppression checks) with Kappa's setup.
/// </summary>
public class KappaAnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public KappaAnalyzerTest() => KappaTestSetup.Apply(this);

    /// <summary>Turns on the opt-in KAPPA190 (as <c>dotnet_diagnostic.KAPPA190.severity = suggestion</c> would).</summary>
    public KappaAnalyzerTest<TAnalyzer> WithUnfollowable()
    {
        TestState.AnalyzerConfigFiles.Add(KappaTestSetup.EditorConfig(("KAPPA190", "suggestion")));
        return this;
    }

    protected override CompilationOptions CreateCompilationOptions() => KappaTestSetup.Options(base.CreateCompilationOptions());

    protected override ParseOptions CreateParseOptions() => KappaTestSetup.Parse(base.CreateParseOptions());

    protected override Project ApplyCompilationOptions(Project project) =>
        KappaTestSetup.RestoreDefaultSeverities(base.ApplyCompilationOptions(project), GetDiagnosticAnalyzers());

    protected override Task RunImplAsync(CancellationToken cancellationToken)
    {
        KappaTestSetup.AddGlobalUsings(TestState);
        return base.RunImplAsync(cancellationToken);
    }
}
