using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Benchmarks;

/// <summary>
/// The three Kappa generators from one build of Kappa.Generators: this repository's (a normal reference) or another
/// build's Kappa.Generators.dll (for example the commit before the templates), loaded in its own load context so both
/// run in the same process and are measured in the same run.
/// </summary>
public static class GeneratorSet
{
    /// <summary>Environment variable: path of the other build's Kappa.Generators.dll (the "Base" generators).</summary>
    public const string BaseVariable = "KAPPA_BASE_GENERATORS";

    private static readonly string[] GeneratorTypes =
    [
        "Kappa.Generators.Avro.AvroRecordGenerator",
        "Kappa.Generators.Processors.StreamProcessorGenerator",
        "Kappa.Generators.State.ProcessorStateGenerator",
    ];

    /// <summary>"Current" (this build) or "Base" (the build named by <see cref="BaseVariable"/>).</summary>
    public static IIncrementalGenerator[] Load(string which) => which switch
    {
        "Current" => Create(typeof(Avro.AvroRecordGenerator).Assembly),
        "Base" => Create(LoadBase()),
        _ => throw new ArgumentException($"Unknown generator set '{which}': use Current or Base.", nameof(which)),
    };

    private static Assembly LoadBase()
    {
        string path = Environment.GetEnvironmentVariable(BaseVariable) is { Length: > 0 } p
            ? Path.GetFullPath(p)
            : throw new InvalidOperationException($"Set {BaseVariable} to the Kappa.Generators.dll to compare against (see docs/benchmarks/generators.md).");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{BaseVariable} names a file that does not exist.", path);
        }

        return new DirectoryLoadContext(Path.GetDirectoryName(path)!).LoadFromAssemblyPath(path);
    }

    private static IIncrementalGenerator[] Create(Assembly assembly) =>
        GeneratorTypes.Select(name => (IIncrementalGenerator)Activator.CreateInstance(
            assembly.GetType(name, throwOnError: true)!)!).ToArray();

    /// <summary>Loads an assembly's own dependencies from its folder; everything else (Roslyn) from the default context.</summary>
    private sealed class DirectoryLoadContext(string directory) : AssemblyLoadContext("kappa-base-generators")
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string candidate = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(candidate) && assemblyName.Name != "Microsoft.CodeAnalysis" && assemblyName.Name != "Microsoft.CodeAnalysis.CSharp"
                ? LoadFromAssemblyPath(candidate)
                : null;
        }
    }
}
