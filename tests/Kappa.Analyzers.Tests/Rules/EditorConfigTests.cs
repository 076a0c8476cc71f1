using Kappa.Analyzers.Determinism;
using Kappa.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>Severities come from .editorconfig (dotnet_diagnostic.KAPPA1NN.severity), including turning on the opt-in KAPPA190.</summary>
public class EditorConfigTests
{
    private const string Source = """
        [StreamProcessor("p")]
        public partial class P
        {
            [Consume("a")] public object A(string v, RecordContext ctx, Func<int> f) => ({|#0:DateTime.UtcNow|}, {|#1:new Random(1)|}, {|#2:f()|});
        }
        """;

    private static DiagnosticResult At(int location, string id, DiagnosticSeverity severity) =>
        new DiagnosticResult(id, severity).WithLocation(location);

    private static Task VerifyAsync(string editorConfig, params DiagnosticResult[] expected)
    {
        var test = new KappaAnalyzerTest<DeterminismAnalyzer> { TestCode = Source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task Defaults_WarningInfoAndOff() =>
        VerifyAsync(
            "root = true\n",
            At(0, "KAPPA101", DiagnosticSeverity.Warning),
            At(1, "KAPPA103", DiagnosticSeverity.Info));

    [Fact]
    public Task EditorConfig_ChangesSeverities() =>
        VerifyAsync(
            """
            root = true

            [*.cs]
            dotnet_diagnostic.KAPPA101.severity = error
            dotnet_diagnostic.KAPPA103.severity = none
            dotnet_diagnostic.KAPPA190.severity = suggestion
            """,
            At(0, "KAPPA101", DiagnosticSeverity.Error),
            At(2, "KAPPA190", DiagnosticSeverity.Info));

    [Fact]
    public Task EditorConfig_CategoryWide() =>
        VerifyAsync(
            """
            root = true

            [*.cs]
            dotnet_analyzer_diagnostic.category-Determinism.severity = error
            """,
            At(0, "KAPPA101", DiagnosticSeverity.Error),
            At(1, "KAPPA103", DiagnosticSeverity.Error));
}
