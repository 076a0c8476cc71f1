using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Kappa.Tests.Shared;

/// <summary>
/// What test compilations reference: the net10.0 reference assemblies of the SDK that runs the tests, Kappa.Runtime, and
/// the Microsoft.Extensions assemblies Kappa.Runtime depends on. Linked into the analyzer and generator test projects.
/// </summary>
/// <remarks>
/// Microsoft.CodeAnalysis.Testing's own <c>ReferenceAssemblies.Net.*</c> download Microsoft.NETCore.App.Ref from a NuGet
/// source at test time (into %TEMP%/test-packages). CI restores from the project's feed only and must not depend on a
/// test-time download, so <see cref="ReferenceAssemblies"/> names no package (nothing to resolve, nothing downloaded)
/// and <see cref="All"/> goes into each test's <c>TestState.AdditionalReferences</c>. The reference pack is part of every
/// .NET SDK install (building any net10.0 project needs it), found next to the running shared framework.
/// </remarks>
public static class KappaTestReferences
{
    private const string TargetFramework = "net10.0";

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyAll = new(Load);

    /// <summary>No package: the harness resolves nothing; the references come from <see cref="All"/>.</summary>
    public static ReferenceAssemblies ReferenceAssemblies { get; } = new(TargetFramework);

    public static ImmutableArray<MetadataReference> All => LazyAll.Value;

    /// <summary>The directory of the Microsoft.NETCore.App reference assemblies matching the running runtime.</summary>
    public static string FrameworkReferenceDirectory()
    {
        // <dotnet>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll -> <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net10.0
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        Version runtime = Environment.Version;
        string? best = Directory.Exists(packs)
            ? Directory.GetDirectories(packs)
                .Select(d => (Dir: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out Version? v) ? v : null))
                .Where(x => x.Version is not null && x.Version.Major == runtime.Major && x.Version.Minor == runtime.Minor
                    && File.Exists(Path.Combine(x.Dir, "ref", TargetFramework, "System.Runtime.dll")))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir, "ref", TargetFramework))
                .FirstOrDefault()
            : null;
        return best ?? throw new InvalidOperationException(
            $"No Microsoft.NETCore.App.Ref {runtime.Major}.{runtime.Minor}.x reference pack under {packs}; the tests compile against the SDK's reference assemblies.");
    }

    private static ImmutableArray<MetadataReference> Load()
    {
        var paths = Directory.GetFiles(FrameworkReferenceDirectory(), "*.dll").ToList();

        // Kappa.Runtime and what it references outside the shared framework (Microsoft.Extensions.*.Abstractions): the test
        // process loads them from its own output, so they are in its trusted platform assemblies.
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        paths.AddRange(tpa.Split(Path.PathSeparator).Where(p => Path.GetFileName(p).StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)));
        paths.Add(typeof(global::Kappa.RecordContext).Assembly.Location);
        return [.. paths.Distinct(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
