using Kappa.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>
/// What every analyzer and code-fix test shares: the references (<see cref="KappaTestReferences"/>), nullable enabled,
/// the latest C#, the global usings a Kappa project has, and severities the way .editorconfig sets them.
/// </summary>
internal static class KappaTestSetup
{
    public const string GlobalUsingsPath = "/0/GlobalUsings.cs";

    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Kappa;
        """;

    public static void Apply(AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = KappaTestReferences.ReferenceAssemblies;
        test.TestState.AdditionalReferences.AddRange(KappaTestReferences.All);
    }

    /// <summary>Adds the global usings last, so the test's own sources keep the names Test0.cs, Test1.cs, ...</summary>
    public static void AddGlobalUsings(SolutionState state)
    {
        if (state.Sources.Count > 0 && !state.Sources.Any(s => s.filename == GlobalUsingsPath))
        {
            state.Sources.Add((GlobalUsingsPath, GlobalUsings));
        }
    }

    /// <summary>
    /// The harness puts every rule of the analyzer under test into the compilation's specific diagnostic options (to turn
    /// on the ones that are off by default), and those entries win over .editorconfig. Kappa's tests check the severities
    /// a real build gets (KAPPA190 off until .editorconfig turns it on, severities changed by .editorconfig), so the
    /// entries are removed again; AD0001 (an analyzer threw) stays an error.
    /// </summary>
    public static Project RestoreDefaultSeverities(Project project, IEnumerable<DiagnosticAnalyzer> analyzers)
    {
        var ids = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        CompilationOptions options = project.CompilationOptions!;
        return project.WithCompilationOptions(options.WithSpecificDiagnosticOptions(options.SpecificDiagnosticOptions.RemoveRange(ids)));
    }

    public static CompilationOptions Options(CompilationOptions options) =>
        ((CSharpCompilationOptions)options).WithNullableContextOptions(NullableContextOptions.Enable);

    public static ParseOptions Parse(ParseOptions options) => ((CSharpParseOptions)options).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>An .editorconfig for <c>TestState.AnalyzerConfigFiles</c> that sets the given severities.</summary>
    public static (string, string) EditorConfig(params (string Id, string Severity)[] severities) =>
        ("/.editorconfig", "root = true\n\n[*]\n" + string.Concat(severities.Select(s => $"dotnet_diagnostic.{s.Id}.severity = {s.Severity}\n")));
}
