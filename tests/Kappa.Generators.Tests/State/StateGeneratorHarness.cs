using Kappa.Generators.State;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Tests.State;

/// <summary>Runs the state generator with an optional kappa-state.lock.json passed as an AdditionalFile.</summary>
internal static class StateGeneratorHarness
{
    public const string LockPath = "/project/kappa-state.lock.json";

    public static GeneratorRunner.Result Run(string? lockJson, params string[] sources) =>
        RunWith(lockJson is null ? [] : [new InMemoryAdditionalText(LockPath, lockJson)], sources);

    public static GeneratorRunner.Result RunWith(AdditionalText[] additionalTexts, params string[] sources) =>
        GeneratorRunner.Run([new ProcessorStateGenerator()], additionalTexts, sources);

    /// <summary>The generator's one diagnostic with the given ID.</summary>
    public static Diagnostic Single(GeneratorRunner.Result result, string id)
    {
        var matching = result.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}; got: {string.Join("\n", result.GeneratorDiagnostics)}");
        return matching[0];
    }

    public static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
}
