using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kappa.Generators.Tests.Infrastructure;

/// <summary>
/// Runs Kappa's incremental generators directly with CSharpGeneratorDriver, with the same references and options as
/// <see cref="KappaGeneratorTest{TGenerator}"/>.
/// </summary>
/// <remarks>
/// Kept next to the standard harness for what it cannot do: incremental caching (two driver runs around an edit and the
/// tracked steps' run reasons), walking the pipeline's models for Roslyn objects, comparing two runs byte for byte,
/// writing baselines in update mode, checking fragments of one generated file or of a long message (the harness compares
/// whole generated files and whole messages only), compiling against a library emitted by a first run, and the one
/// diagnostic whose text depends on the order the host passes additional files in.
/// </remarks>
/// </remarks>
public static class GeneratorRunner
{

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

    /// <summary>The result of one generator run.</summary>
    public sealed record Result(
        Compilation InputCompilation,
        Compilation OutputCompilation,
        GeneratorDriverRunResult RunResult,
        ImmutableArray<Diagnostic> GeneratorDiagnostics,
        ImmutableArray<Diagnostic> CompilationDiagnostics)
    {
        /// <summary>Generated files by hint name, ordinal order.</summary>
        public IReadOnlyList<(string HintName, string Source)> GeneratedSources =>
            RunResult.Results.SelectMany(r => r.GeneratedSources)
                .Select(s => (s.HintName, s.SourceText.ToString()))
                .OrderBy(s => s.HintName, StringComparer.Ordinal)
                .ToList();

        /// <summary>Errors and warnings of the compiled output (generated code must have none).</summary>
        public IReadOnlyList<Diagnostic> CompilationProblems =>
            CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

        public string Source(string hintName) =>
            GeneratedSources.FirstOrDefault(s => s.HintName == hintName).Source
            ?? throw new Xunit.Sdk.XunitException($"No generated file '{hintName}'. Generated: {string.Join(", ", GeneratedSources.Select(s => s.HintName))}");
    }

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Kappa.Generated.Tests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            Kappa.Tests.Shared.KappaTestReferences.All,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                allowUnsafe: true));

    public static GeneratorDriver CreateDriver(params IIncrementalGenerator[] generators) =>
        CSharpGeneratorDriver.Create(
            generators.Select(GeneratorExtensions.AsSourceGenerator),
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static Result Run(IIncrementalGenerator generator, params string[] sources) => Run([generator], sources);

    public static Result Run(IIncrementalGenerator[] generators, params string[] sources) => Run(generators, [], sources);

    public static Result Run(IIncrementalGenerator[] generators, AdditionalText[] additionalTexts, params string[] sources)
    {
        CSharpCompilation input = CreateCompilation(sources);
        GeneratorDriver driver = CreateDriver(generators).AddAdditionalTexts([.. additionalTexts])
            .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        return new Result(input, output, driver.GetRunResult(), generatorDiagnostics, output.GetDiagnostics());
    }

    /// <summary>Fails with every problem listed when the generated code does not compile cleanly.</summary>
    public static void AssertCompilesCleanly(Result result)
    {
        var problems = result.CompilationProblems;
        if (problems.Count > 0)
        {
            string files = string.Join("\n\n", result.GeneratedSources.Select(s => $"// ---- {s.HintName}\n{s.Source}"));
            throw new Xunit.Sdk.XunitException(
                $"Generated code has {problems.Count} problem(s):\n{string.Join("\n", problems)}\n\nGenerated files:\n{files}");
        }
    }

    /// <summary>
    /// Runs the driver, applies <paramref name="edit"/> to the compilation, runs again, and asserts that every step named
    /// in <paramref name="trackingNames"/> produced only Cached or Unchanged outputs the second time. Also proves the
    /// models hold no Roslyn symbol, syntax node or compilation (so the pipeline can cache them).
    /// </summary>
    public static void AssertIncrementalCaching(
        IIncrementalGenerator generator,
        string[] sources,
        Func<Compilation, Compilation> edit,
        params string[] trackingNames) =>
        AssertIncrementalCachingWith(generator, [], sources, edit, trackingNames);

    /// <summary><see cref="AssertIncrementalCaching"/> with additional files (e.g. kappa-avro-history.json).</summary>
    public static void AssertIncrementalCachingWith(
        IIncrementalGenerator generator,
        AdditionalText[] additionalTexts,
        string[] sources,
        Func<Compilation, Compilation> edit,
        params string[] trackingNames)
    {
        CSharpCompilation input = CreateCompilation(sources);
        GeneratorDriver driver = CreateDriver(generator).AddAdditionalTexts([.. additionalTexts]).RunGenerators(input);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();

        foreach (string name in trackingNames)
        {
            Assert.True(first.TrackedSteps.ContainsKey(name), $"Step '{name}' was not tracked; tracked: {string.Join(", ", first.TrackedSteps.Keys)}");
            foreach (var step in first.TrackedSteps[name])
            {
                foreach (var (value, _) in step.Outputs)
                {
                    AssertNoRoslynObjects(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);
                }
            }
        }

        Compilation edited = edit(input);
        driver = driver.RunGenerators(edited);
        GeneratorRunResult second = driver.GetRunResult().Results.Single();
        foreach (string name in trackingNames)
        {
            foreach (var step in second.TrackedSteps[name])
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Step '{name}' output was {reason} after an unrelated edit; expected Cached or Unchanged.");
                }
            }
        }
    }

    /// <summary>Adds a syntax tree with an unrelated type: the typical edit that must not regenerate anything.</summary>
    public static Compilation AddUnrelatedType(Compilation compilation) =>
        compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Unrelated { public class Other { public int X; } }", ParseOptions, path: "Unrelated.cs"));

    private static void AssertNoRoslynObjects(object? value, string step, HashSet<object> seen, int depth)
    {
        if (value is null || depth > 20 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }

        Assert.False(value is Compilation or ISymbol or SyntaxNode or SemanticModel or SyntaxTree, $"Step '{step}' holds a {value.GetType().Name}; models must be symbol-free so the pipeline can cache them.");
        if (value is IEnumerable items)
        {
            foreach (object? item in items)
            {
                AssertNoRoslynObjects(item, step, seen, depth + 1);
            }
        }

        Type type = value.GetType();
        if (type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true)
        {
            // Roslyn value types we allow in models: DiagnosticDescriptor, TextSpan, LinePositionSpan. Do not walk into them.
            return;
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), step, seen, depth + 1);
        }
    }
}
