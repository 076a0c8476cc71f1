using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kappa.Generators.Benchmarks;

/// <summary>
/// One GeneratorDriver run of Kappa's three generators over a project: from scratch (Full) and after a one-line edit
/// of a driver that already ran over the project (OneLineEdit, the IDE/incremental case). Generators "Base" (the build
/// named by KAPPA_BASE_GENERATORS, e.g. the commit before the Scriban templates) and "Current" run in the same process.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private IIncrementalGenerator[] _generators = null!;
    private GeneratorDriver _warm = null!;

    [Params("Sample", "Types100")]
    public string Project { get; set; } = "Sample";

    [Params("Base", "Current")]
    public string Generators { get; set; } = "Current";

    [GlobalSetup]
    public void Setup()
    {
        _compilation = BenchmarkProjects.Compile(Project);
        _edited = BenchmarkProjects.WithOneLineEdit(_compilation);
        _generators = GeneratorSet.Load(Generators);
        _warm = BenchmarkProjects.CreateDriver(_generators).RunGenerators(_compilation);
    }

    [Benchmark]
    public GeneratorDriver Full() => BenchmarkProjects.CreateDriver(_generators).RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver OneLineEdit() => _warm.RunGenerators(_edited);
}
