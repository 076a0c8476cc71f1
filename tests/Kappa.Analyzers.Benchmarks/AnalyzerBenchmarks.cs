using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Kappa.Analyzers.Determinism;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kappa.Analyzers.Benchmarks;

/// <summary>
/// Analysis time on a generated 500-method processor project. The baseline is what the compiler alone spends binding the
/// same project (<see cref="CompilerOnly"/>); every benchmark builds a fresh compilation so no semantic cache survives.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class AnalyzerBenchmarks
{
    private ImmutableArray<SyntaxTree> _trees;
    private ImmutableArray<MetadataReference> _references;

    [Params(500)]
    public int Methods { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var sources = ProcessorProjectGenerator.Generate(Methods);
        _trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, options, path: $"File{i}.cs"))
            .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq;", options, path: "Usings.cs"))
            .ToImmutableArray();
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        _references = tpa.Split(Path.PathSeparator).Where(p => p.Length > 0)
            .Append(typeof(Kappa.RecordContext).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    public CSharpCompilation FreshCompilation() => Fresh();

    private CSharpCompilation Fresh() =>
        CSharpCompilation.Create("Bench", _trees, _references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The floor for any IOperation-based analyzer: bind every method body and enumerate its operation tree.</summary>
    [Benchmark(Baseline = true, Description = "Binding floor: operation trees of all methods")]
    public int BindingFloor()
    {
        CSharpCompilation compilation = Fresh();
        int operations = 0;
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                operations += model.GetOperation(method)?.Descendants().Count() ?? 0;
            }
        }

        return operations;
    }

    /// <summary>Our analysis called directly, single-threaded: one summary per method (binding included) plus one walk per processor.</summary>
    [Benchmark(Description = "Summaries + call-graph walks (direct, 1 thread)")]
    public int SummariesAndWalks()
    {
        CSharpCompilation compilation = Fresh();
        var state = new CompilationState(compilation, compilation.GetTypeByMetadataName("Kappa.StreamProcessorAttribute")!, compilation.GetTypeByMetadataName("Kappa.ConsumeAttribute")!, BannedMembers.None);
        int reported = 0;
        foreach (INamedTypeSymbol type in compilation.GlobalNamespace.GetNamespaceMembers().Single(n => n.Name == "Bench").GetTypeMembers().Where(t => t.Name.StartsWith("Processor", StringComparison.Ordinal)))
        {
            var handlers = type.GetMembers().OfType<IMethodSymbol>().Where(m => m.Name.StartsWith("Handle", StringComparison.Ordinal)).ToList();
            reported += DeterminismAnalyzer.Analyze(state, handlers, CancellationToken.None).Count();
        }

        return reported;
    }

    [Benchmark(Description = "Compiler diagnostics only")]
    public int CompilerOnly() => Fresh().GetDiagnostics().Length;

    [Benchmark(Description = "Compiler + determinism analyzers (driver)")]
    public async Task<int> CompilerAndAnalyzers()
    {
        var withAnalyzers = Fresh().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DeterminismAnalyzer()));
        return (await withAnalyzers.GetAllDiagnosticsAsync()).Length;
    }

    [Benchmark(Description = "Determinism analyzers only (driver, incl. binding)")]
    public async Task<int> AnalyzersOnly()
    {
        var withAnalyzers = Fresh().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DeterminismAnalyzer()));
        return (await withAnalyzers.GetAnalyzerDiagnosticsAsync()).Length;
    }
}
