using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Generators.Tests.Infrastructure;

/// <summary>
/// Golden files for generated code: the expected output lives in tests/Kappa.Generators.Tests/{Area}/Baselines/{scenario}/{hint}.txt
/// and <see cref="KappaGeneratorTest{TGenerator}.ExpectBaselines"/> loads it into the standard harness's
/// <c>GeneratedSources</c>, which compares it (and the set of files) with what the generators produce.
/// Set KAPPA_UPDATE_BASELINES=1 to rewrite the baselines on purpose.
/// </summary>
/// <remarks>
/// Kept by hand because the harness cannot write its actual output anywhere: in update mode the baselines are written
/// from a plain <see cref="GeneratorDriver"/> run (<see cref="GeneratorRunner"/>) of the same sources, additional files,
/// references and options, and the harness then compares against what was just written.
/// </remarks>
public static class GoldenFiles
{
    public const string UpdateVariable = "KAPPA_UPDATE_BASELINES";

    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string Directory(string callerPath, string scenario) =>
        Path.Combine(Path.GetDirectoryName(callerPath)!, "Baselines", scenario);

    /// <summary>
    /// The baselines of one scenario as the harness's expected generated sources, after rewriting them first in update
    /// mode. Fails when there are none.
    /// </summary>
    /// <remarks>
    /// The harness compares the generated files in the order the generators add them and needs to know which generator
    /// wrote each one, which a baseline file does not say: both come from a plain driver run of the same sources. The
    /// contents and the set of files come only from the baselines, and the harness compares them with its own run.
    /// </remarks>
    public static IEnumerable<(Type Generator, string Hint, SourceText Text)> Expected(string directory, IIncrementalGenerator[] generators, ProjectState state, Type fallback)
    {
        AdditionalText[] additional = state.AdditionalFiles.Select(f => (AdditionalText)new InMemoryAdditionalText(f.filename, f.content.ToString())).ToArray();
        GeneratorRunner.Result run = GeneratorRunner.Run(generators, additional, state.Sources.Select(s => s.content.ToString()).ToArray());
        var produced = run.RunResult.Results
            .SelectMany(r => r.GeneratedSources.Select(s => (Generator: r.Generator.GetGeneratorType(), s.HintName, Text: s.SourceText.ToString())))
            .ToList();
        if (UpdateRequested)
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }

            System.IO.Directory.CreateDirectory(directory);
            foreach (var file in produced)
            {
                File.WriteAllText(Path.Combine(directory, file.HintName + ".txt"), file.Text);
            }
        }

        string[] baselines = System.IO.Directory.Exists(directory) ? System.IO.Directory.GetFiles(directory, "*.txt") : [];
        if (baselines.Length == 0)
        {
            throw new Xunit.Sdk.XunitException($"No baselines in {directory} (run with {UpdateVariable}=1 to create them).");
        }

        return baselines
            .Select(path => (Hint: Path.GetFileNameWithoutExtension(path), Text: File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal)))
            .Select(b => (Baseline: b, Index: produced.FindIndex(p => p.HintName == b.Hint)))
            .OrderBy(b => b.Index < 0 ? int.MaxValue : b.Index)
            .ThenBy(b => b.Baseline.Hint, StringComparer.Ordinal)
            .Select(b => (
                b.Index < 0 ? fallback : produced[b.Index].Generator,
                b.Baseline.Hint,
                SourceText.From(b.Baseline.Text, Encoding.UTF8, SourceHashAlgorithm.Sha256)))
            .ToList();
    }
}
