using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>
/// The one generic verifier: compiles markup sources, runs the analyzer through <see cref="CompilationWithAnalyzers"/>,
/// and asserts that exactly the marked diagnostics (id and span) are reported, that no analyzer threw, and (unless the test
/// is about broken code) that the source compiles.
/// </summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAsync(string markup, VerifyOptions? options = null) => VerifyAsync([markup], options);

    public static async Task VerifyAsync(IReadOnlyList<string> markups, VerifyOptions? options = null)
    {
        options ??= new VerifyOptions();
        var parsed = markups.Select(Markup.Parse).ToList();
        CSharpCompilationWrapper result = await RunAsync(parsed.Select(p => p.Source).ToList(), options);

        if (!options.AllowCompilerErrors)
        {
            var errors = result.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, "The test source does not compile:\n" + string.Join("\n", errors));
        }

        var expected = new List<string>();
        for (int i = 0; i < parsed.Count; i++)
        {
            foreach ((string id, TextSpan span) in parsed[i].Expected)
            {
                expected.Add(Key($"Test{i}.cs", id, span, parsed[i].Source));
            }
        }

        var actual = result.Diagnostics
            .Where(d => d.Location.IsInSource)
            .Select(d => Key(Path.GetFileName(d.Location.SourceTree!.FilePath), d.Id, d.Location.SourceSpan, d.Location.SourceTree.ToString()))
            .ToList();

        expected.Sort(StringComparer.Ordinal);
        actual.Sort(StringComparer.Ordinal);
        if (!expected.SequenceEqual(actual))
        {
            var message = new StringBuilder();
            message.AppendLine("Diagnostics differ.");
            message.AppendLine("Expected:");
            expected.ForEach(e => message.AppendLine("  " + e));
            message.AppendLine("Actual:");
            foreach (Diagnostic d in result.Diagnostics)
            {
                message.AppendLine("  " + Key(Path.GetFileName(d.Location.SourceTree?.FilePath ?? "?"), d.Id, d.Location.SourceSpan, d.Location.SourceTree?.ToString() ?? string.Empty) + "  " + d.GetMessage());
            }

            Assert.Fail(message.ToString());
        }
    }

    /// <summary>Runs the analyzer and returns every analyzer diagnostic; fails on analyzer exceptions (AD0001).</summary>
    public static async Task<CSharpCompilationWrapper> RunAsync(IReadOnlyList<string> sources, VerifyOptions? options = null)
    {
        options ??= new VerifyOptions();
        var compilation = TestCompilation.Create(sources, options.Severities);
        var exceptions = new List<Exception>();
        var analyzerOptions = new AnalyzerOptions(options.AdditionalFiles.ToImmutableArray<AdditionalText>());
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()),
            new CompilationWithAnalyzersOptions(analyzerOptions, (e, _, _) => { lock (exceptions) { exceptions.Add(e); } }, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        ImmutableArray<Diagnostic> diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.True(exceptions.Count == 0, "The analyzer threw:\n" + string.Join("\n", exceptions));
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return new CSharpCompilationWrapper(compilation, diagnostics);
    }

    private static string Key(string file, string id, TextSpan span, string source) =>
        $"{file}: {id} {span} '{source.Substring(span.Start, Math.Min(span.Length, source.Length - span.Start))}'";
}
