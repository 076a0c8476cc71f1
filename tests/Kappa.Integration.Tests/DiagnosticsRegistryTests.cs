using System.Text.RegularExpressions;

namespace Kappa.Integration.Tests;

/// <summary>Every registered diagnostic ID has its docs page, and the docs index lists every page.</summary>
public partial class DiagnosticsRegistryTests
{
    private static readonly string[] Registries =
    [
        "src/Generators/Kappa.Generators/AnalyzerReleases.Unshipped.md",
        "src/Generators/Kappa.Generators/AnalyzerReleases.Shipped.md",
        "src/Analyzers/Kappa.Analyzers/AnalyzerReleases.Unshipped.md",
        "src/Analyzers/Kappa.Analyzers/AnalyzerReleases.Shipped.md",
    ];

    [Fact]
    public void Every_registered_id_has_a_page_and_every_page_is_in_the_index()
    {
        string docs = Path.Combine(RepoPaths.Root, "docs", "diagnostics");
        var registered = Registries
            .SelectMany(r => File.ReadAllLines(Path.Combine(RepoPaths.Root, r)))
            .Select(line => RegistryRow().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(registered.Count >= 40, $"Only {registered.Count} IDs found in the release tracking files.");

        var pages = Directory.GetFiles(docs, "KAPPA*.md").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(registered.Except(pages!).Order(StringComparer.Ordinal));
        Assert.Empty(pages.Except(registered).Order(StringComparer.Ordinal));

        string index = File.ReadAllText(Path.Combine(docs, "README.md"));
        Assert.Empty(pages.Where(p => !index.Contains($"[{p}]({p}.md)", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^(KAPPA\d{3})\s*\|")]
    private static partial Regex RegistryRow();
}
