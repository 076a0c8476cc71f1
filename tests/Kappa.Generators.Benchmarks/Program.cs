using BenchmarkDotNet.Running;
using Kappa.Generators.Benchmarks;
using Microsoft.CodeAnalysis;

// "--compare": run the Base and Current generators over both projects and report whether every generated file is
// byte-identical (the check that the templates reproduce the hand-written emitters), plus the generators' diagnostics.
// "--check [rounds]": interleaved minimum wall and CPU time of Base and Current (a quick figure on a loaded machine).
if (args is ["--check", ..])
{
    QuickCheck.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15);
    return 0;
}

if (args is ["--compare", ..])
{
    int differences = 0;
    foreach (string project in new[] { "Sample", "Types100" })
    {
        var compilation = BenchmarkProjects.Compile(project);
        var results = new Dictionary<string, IReadOnlyList<(string Hint, string Text)>>();
        foreach (string which in new[] { "Base", "Current" })
        {
            GeneratorDriverRunResult run = BenchmarkProjects.CreateDriver(GeneratorSet.Load(which)).RunGenerators(compilation).GetRunResult();
            results[which] = run.Results.SelectMany(r => r.GeneratedSources)
                .Select(s => (s.HintName, s.SourceText.ToString()))
                .OrderBy(s => s.HintName, StringComparer.Ordinal)
                .ToList();
            var errors = run.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Concat(run.Results.Where(r => r.Exception is not null).Select(r => Diagnostic.Create("EXC", "Generator", r.Exception!.Message, DiagnosticSeverity.Error, DiagnosticSeverity.Error, true, 0))).ToList();
            Console.WriteLine($"{project} {which}: {results[which].Count} files, {results[which].Sum(s => s.Text.Length)} chars, {errors.Count} generator warnings or errors");
            errors.Take(5).ToList().ForEach(d => Console.WriteLine("  " + d));
        }

        var before = results["Base"].ToDictionary(s => s.Hint, s => s.Text, StringComparer.Ordinal);
        var after = results["Current"].ToDictionary(s => s.Hint, s => s.Text, StringComparer.Ordinal);
        foreach (string hint in before.Keys.Union(after.Keys).OrderBy(h => h, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(hint, out string? a) || !after.TryGetValue(hint, out string? b) || !string.Equals(a, b, StringComparison.Ordinal))
            {
                differences++;
                Console.WriteLine($"  DIFFERS: {hint}");
            }
        }

        // The generated code must compile: report the output compilation's errors for the Current generators.
        BenchmarkProjects.CreateDriver(GeneratorSet.Load("Current")).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        var compileErrors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Console.WriteLine($"{project}: compilation with generated code: {compileErrors.Count} errors");
        compileErrors.Take(5).ToList().ForEach(d => Console.WriteLine("  " + d));
    }

    Console.WriteLine(differences == 0 ? "All generated files are byte-identical." : $"{differences} generated files differ.");
    return differences == 0 ? 0 : 1;
}

BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
return 0;
