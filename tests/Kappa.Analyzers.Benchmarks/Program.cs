using Microsoft.CodeAnalysis.Operations;
using System.Collections.Immutable;
using BenchmarkDotNet.Running;
using Kappa.Analyzers.Benchmarks;
using Kappa.Analyzers.Determinism;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

// "--check": analyse the generated project once and print what was found (a quick sanity check, no benchmark).
if (args is ["--check", ..])
{
    var bench = new AnalyzerBenchmarks { Methods = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500 };
    bench.Setup();
    Console.WriteLine($"compiler diagnostics: {bench.CompilerOnly()}");
    var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Bench",
        ProcessorProjectGenerator.Generate(bench.Methods).Select(s => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(s)).Append(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq;")),
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Append(typeof(Kappa.RecordContext).Assembly.Location).Distinct().Select(p => MetadataReference.CreateFromFile(p)),
        new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    errors.Take(5).ToList().ForEach(e => Console.WriteLine(e));
    var with = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DeterminismAnalyzer()),
        new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
    var diagnostics = await with.GetAnalyzerDiagnosticsAsync();
    var telemetry = await with.GetAnalyzerTelemetryInfoAsync(with.Analyzers[0], CancellationToken.None);
    Console.WriteLine($"errors: {errors.Count}, analyzer diagnostics: {diagnostics.Length} ({string.Join(", ", diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}x{g.Count()}"))})");
    Console.WriteLine($"analyzer execution time (Roslyn telemetry, summed over threads): {telemetry.ExecutionTime.TotalMilliseconds:F1} ms");
    for (int i = 0; i < 3; i++)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        bench.CompilerOnly();
        double compile = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        await bench.AnalyzersOnly();
        Console.WriteLine($"wall clock: compiler only {compile:F0} ms, analyzers only {sw.Elapsed.TotalMilliseconds:F0} ms");
    }
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(AnalyzerBenchmarks).Assembly).Run(args);
