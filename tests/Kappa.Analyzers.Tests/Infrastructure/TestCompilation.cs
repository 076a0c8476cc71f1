using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>Compilations of test sources against the running framework and Kappa.Runtime.</summary>
public static class TestCompilation
{
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Kappa;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(() =>
    {
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = tpa.Split(Path.PathSeparator)
            .Where(p => p.Length > 0)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        string runtime = typeof(Kappa.RecordContext).Assembly.Location;
        if (!tpa.Contains(runtime, StringComparison.Ordinal))
        {
            references.Add(MetadataReference.CreateFromFile(runtime));
        }

        return references.ToImmutableArray();
    });

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilationOptions Options(IReadOnlyDictionary<string, ReportDiagnostic>? severities = null) =>
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true)
            .WithSpecificDiagnosticOptions(severities ?? new Dictionary<string, ReportDiagnostic>());

    public static CSharpCompilation Create(IEnumerable<string> sources, IReadOnlyDictionary<string, ReportDiagnostic>? severities = null)
    {
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(GlobalUsings, ParseOptions, path: "GlobalUsings.cs") };
        int n = 0;
        foreach (string source in sources)
        {
            trees.Add(CSharpSyntaxTree.ParseText(source, ParseOptions, path: n == 0 ? "Test0.cs" : $"Test{n}.cs"));
            n++;
        }

        return CSharpCompilation.Create("TestProject", trees, References, Options(severities));
    }
}
