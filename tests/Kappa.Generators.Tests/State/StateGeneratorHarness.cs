using System.Collections.Immutable;
using Kappa.Generators.State;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Generators.Tests.State;

/// <summary>Runs the state generator with an optional kappa-state.lock.json passed as an AdditionalFile.</summary>
internal static class StateGeneratorHarness
{
    public static GeneratorRunner.Result Run(string? lockJson, params string[] sources) =>
        RunWith(lockJson is null ? [] : [new InMemoryText("/project/kappa-state.lock.json", lockJson)], sources);

    public static GeneratorRunner.Result RunWith(AdditionalText[] additionalTexts, params string[] sources)
    {
        var input = GeneratorRunner.CreateCompilation(sources);
        GeneratorDriver driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
            [new ProcessorStateGenerator().AsSourceGenerator()],
            additionalTexts,
            GeneratorRunner.ParseOptions,
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorRunner.Result(input, output, driver.GetRunResult(), diagnostics, output.GetDiagnostics());
    }

    /// <summary>The generator's diagnostics of at least warning severity, or of one ID.</summary>
    public static Diagnostic Single(GeneratorRunner.Result result, string id)
    {
        var matching = result.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}; got: {string.Join("\n", result.GeneratorDiagnostics)}");
        return matching[0];
    }

    public static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    public sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
