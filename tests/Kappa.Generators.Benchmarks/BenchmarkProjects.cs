using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kappa.Generators.Benchmarks;

/// <summary>The projects the generators run over: the Orders sample's sources, or <see cref="TypesProject"/>'s 100 types.</summary>
public static class BenchmarkProjects
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>"Sample" or "Types100": the project's source files.</summary>
    public static IReadOnlyList<string> Sources(string project) => project switch
    {
        "Sample" => Directory.GetFiles(Path.Combine(RepoRoot(), "samples", "Kappa.Samples.Orders"), "*.cs")
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .ToList(),
        "Types100" => TypesProject.Generate(100),
        _ => throw new ArgumentException($"Unknown project '{project}': use Sample or Types100.", nameof(project)),
    };

    /// <summary>The project's compilation (the sample is a program with top-level statements, the other a library).</summary>
    public static CSharpCompilation Compile(string project)
    {
        IReadOnlyList<string> sources = Sources(project);
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"File{i}.cs"))
            .Append(CSharpSyntaxTree.ParseText(
                "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;",
                ParseOptions,
                path: "GlobalUsings.cs"));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Kappa.RecordContext).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => MetadataReference.CreateFromFile(p));
        return CSharpCompilation.Create(
            "Bench",
            trees,
            references,
            new CSharpCompilationOptions(project == "Sample" ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>
    /// The compilation after a one-line edit: a comment line added at the top of the first file that declares a
    /// generated type, so that file's syntax tree (and only it) changes and the generators re-run their parsers on it.
    /// </summary>
    public static CSharpCompilation WithOneLineEdit(CSharpCompilation compilation)
    {
        SyntaxTree tree = compilation.SyntaxTrees.First(t => t.GetText().ToString().Contains("[AvroRecord", StringComparison.Ordinal));
        SyntaxTree edited = tree.WithChangedText(tree.GetText().Replace(0, 0, "// edited\n"));
        return compilation.ReplaceSyntaxTree(tree, edited);
    }

    public static GeneratorDriver CreateDriver(IIncrementalGenerator[] generators) =>
        CSharpGeneratorDriver.Create(
            generators.Select(GeneratorExtensions.AsSourceGenerator),
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gen.sln not found above " + AppContext.BaseDirectory + ": run from the repository.");
    }
}
