using System.Runtime.CompilerServices;
using Kappa.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Generators.Tests.Infrastructure;

/// <summary>
/// The standard source-generator test with Kappa's setup: the generated files must be exactly
/// <c>TestState.GeneratedSources</c> (filled from the golden baselines by <see cref="ExpectBaselines"/>), the generator's
/// diagnostics exactly <c>ExpectedDiagnostics</c>, and the whole compilation (sources plus generated code, nullable
/// enabled) must have no compiler warning or error that is not listed.
/// </summary>
public class KappaGeneratorTest<TGenerator> : CSharpSourceGeneratorTest<TGenerator, DefaultVerifier>
    where TGenerator : new()
{
    private string? _baselineDirectory;

    public KappaGeneratorTest()
    {
        ReferenceAssemblies = KappaTestReferences.ReferenceAssemblies;
        TestState.AdditionalReferences.AddRange(KappaTestReferences.All);
        CompilerDiagnostics = CompilerDiagnostics.Warnings;

        // The harness parses with DocumentationMode.Diagnose (so every test source without XML comments warns CS1591);
        // the generators' tests, like GeneratorRunner and a project without GenerateDocumentationFile, parse without it.
        SolutionTransforms.Add((solution, projectId) => solution.WithProjectParseOptions(projectId, GeneratorRunner.ParseOptions));
    }

    /// <summary>Generators that run next to <typeparamref name="TGenerator"/> (they do not see each other's output).</summary>
    public List<Type> OtherGenerators { get; } = [];

    /// <summary>
    /// Expects exactly the files in <c>Baselines/{scenario}</c> next to the calling test file. With
    /// <c>KAPPA_UPDATE_BASELINES=1</c> the directory is first rewritten from a plain driver run of the same sources.
    /// </summary>
    public KappaGeneratorTest<TGenerator> ExpectBaselines(string scenario, [CallerFilePath] string callerPath = "")
    {
        _baselineDirectory = GoldenFiles.Directory(callerPath, scenario);
        IIncrementalGenerator[] generators = Generators().Select(t => (IIncrementalGenerator)Activator.CreateInstance(t)!).ToArray();
        foreach ((Type generator, string hint, SourceText text) in GoldenFiles.Expected(_baselineDirectory, generators, TestState, typeof(TGenerator)))
        {
            TestState.GeneratedSources.Add((generator, hint, text));
        }

        return this;
    }

    protected override async Task RunImplAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.RunImplAsync(cancellationToken);
        }
        catch (Exception e) when (_baselineDirectory is not null && !GoldenFiles.UpdateRequested)
        {
            throw new Xunit.Sdk.XunitException(
                $"{e.Message}\n\nBaselines: {_baselineDirectory}. If the change is intended, rerun with {GoldenFiles.UpdateVariable}=1 and review the diff.");
        }
    }

    protected override IEnumerable<Type> GetSourceGenerators() => Generators();

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable).WithAllowUnsafe(true);

    protected override ParseOptions CreateParseOptions() => GeneratorRunner.ParseOptions;

    private IEnumerable<Type> Generators() => [typeof(TGenerator), .. OtherGenerators];
}
