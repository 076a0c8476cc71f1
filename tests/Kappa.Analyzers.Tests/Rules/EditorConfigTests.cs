using System.Collections.Immutable;
using Kappa.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>Severities come from .editorconfig (dotnet_diagnostic.KAPPA1NN.severity), including turning on the opt-in KAPPA190.</summary>
public class EditorConfigTests
{
    private const string Source = """
        [StreamProcessor("p")]
        public partial class P
        {
            [Consume("a")] public object A(string v, RecordContext ctx, Func<int> f) => (DateTime.UtcNow, new Random(1), f());
        }
        """;

    private static async Task<ImmutableArray<Diagnostic>> RunAsync(string editorConfig)
    {
        using var workspace = new AdhocWorkspace();
        ProjectInfo info = ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "P", "P", LanguageNames.CSharp,
            compilationOptions: TestCompilation.Options(), parseOptions: TestCompilation.ParseOptions, metadataReferences: TestCompilation.References);
        Project project = workspace.AddProject(info);
        project = project.AddDocument("GlobalUsings.cs", TestCompilation.GlobalUsings, filePath: "/src/GlobalUsings.cs").Project;
        project = project.AddDocument("P.cs", Source, filePath: "/src/P.cs").Project;
        project = project.AddAnalyzerConfigDocument(".editorconfig", SourceText.From(editorConfig), filePath: "/src/.editorconfig").Project;
        Compilation compilation = (await project.GetCompilationAsync())!;
        return await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new Kappa.Analyzers.Determinism.DeterminismAnalyzer()), project.AnalyzerOptions)
            .GetAnalyzerDiagnosticsAsync();
    }

    [Fact]
    public async Task Defaults_WarningInfoAndOff()
    {
        var diagnostics = await RunAsync("root = true\n");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostics.Single(d => d.Id == "KAPPA101").Severity);
        Assert.Equal(DiagnosticSeverity.Info, diagnostics.Single(d => d.Id == "KAPPA103").Severity);
        Assert.DoesNotContain(diagnostics, d => d.Id == "KAPPA190");
    }

    [Fact]
    public async Task EditorConfig_ChangesSeverities()
    {
        var diagnostics = await RunAsync("""
            root = true

            [*.cs]
            dotnet_diagnostic.KAPPA101.severity = error
            dotnet_diagnostic.KAPPA103.severity = none
            dotnet_diagnostic.KAPPA190.severity = suggestion
            """);
        Assert.Equal(DiagnosticSeverity.Error, diagnostics.Single(d => d.Id == "KAPPA101").Severity);
        Assert.DoesNotContain(diagnostics, d => d.Id == "KAPPA103");
        Assert.Equal(DiagnosticSeverity.Info, diagnostics.Single(d => d.Id == "KAPPA190").Severity);
    }

    [Fact]
    public async Task EditorConfig_CategoryWide()
    {
        var diagnostics = await RunAsync("""
            root = true

            [*.cs]
            dotnet_analyzer_diagnostic.category-Determinism.severity = error
            """);
        Assert.All(diagnostics.Where(d => d.Id is "KAPPA101" or "KAPPA103"), d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }
}
