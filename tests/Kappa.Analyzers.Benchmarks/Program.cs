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
    // Interleaved runs, minimum of each: on a shared, loaded machine the minimum is the least disturbed figure.
    var best = new double[4];
    Array.Fill(best, double.MaxValue);
    for (int i = 0; i < 7; i++)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        bench.BindingFloor();
        best[0] = Math.Min(best[0], sw.Elapsed.TotalMilliseconds);
        sw.Restart();
        bench.SummariesAndWalks();
        best[1] = Math.Min(best[1], sw.Elapsed.TotalMilliseconds);
        sw.Restart();
        bench.CompilerOnly();
        best[2] = Math.Min(best[2], sw.Elapsed.TotalMilliseconds);
        sw.Restart();
        await bench.CompilerAndAnalyzers();
        best[3] = Math.Min(best[3], sw.Elapsed.TotalMilliseconds);
    }

    // Process CPU time of the single-threaded variants: less sensitive than wall time to other processes on the machine.
    var cpu = new double[2];
    Array.Fill(cpu, double.MaxValue);
    var process = System.Diagnostics.Process.GetCurrentProcess();
    for (int i = 0; i < 7; i++)
    {
        process.Refresh();
        TimeSpan start = process.TotalProcessorTime;
        bench.BindingFloor();
        process.Refresh();
        TimeSpan mid = process.TotalProcessorTime;
        bench.SummariesAndWalks();
        process.Refresh();
        cpu[0] = Math.Min(cpu[0], (mid - start).TotalMilliseconds);
        cpu[1] = Math.Min(cpu[1], (process.TotalProcessorTime - mid).TotalMilliseconds);
    }

    Console.WriteLine($"min of 7, process CPU time: binding floor {cpu[0]:F0} ms, summaries + walks {cpu[1]:F0} ms ({cpu[1] / cpu[0]:F2}x)");
    Console.WriteLine($"min of 7 interleaved runs: binding floor {best[0]:F0} ms, summaries + walks {best[1]:F0} ms ({best[1] / best[0]:F2}x), compiler only {best[2]:F0} ms, compiler + analyzers {best[3]:F0} ms ({best[3] / best[2]:F2}x)");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(AnalyzerBenchmarks).Assembly).Run(args);
