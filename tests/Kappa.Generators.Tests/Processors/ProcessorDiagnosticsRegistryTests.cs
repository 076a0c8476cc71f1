using System.Reflection;
using System.Runtime.CompilerServices;
using Kappa.Generators.Common;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Tests.Processors;

public class ProcessorDiagnosticsRegistryTests
{
    private static IReadOnlyList<DiagnosticDescriptor> ProcessorDescriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .Where(d => string.CompareOrdinal(d.Id, "KAPPA020") >= 0 && string.CompareOrdinal(d.Id, "KAPPA039") <= 0)
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void Every_processor_diagnostic_has_a_unique_id_a_docs_page_a_help_link_and_a_release_entry()
    {
        string root = RepoRoot();
        string unshipped = File.ReadAllText(Path.Combine(root, "src/Generators/Kappa.Generators/AnalyzerReleases.Unshipped.md"));
        var descriptors = ProcessorDescriptors();
        Assert.Equal(20, descriptors.Count);
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            string page = Path.Combine(root, "docs/diagnostics", descriptor.Id + ".md");
            Assert.True(File.Exists(page), $"{descriptor.Id} has no page {page}");
            string text = File.ReadAllText(page);
            Assert.StartsWith($"# {descriptor.Id}: ", text, StringComparison.Ordinal);
            foreach (string section in new[] { "## What", "## Why", "## How to fix", "## Example" })
            {
                Assert.Contains(section, text, StringComparison.Ordinal);
            }

            Assert.Equal(DiagnosticDescriptors.HelpLink(descriptor.Id), descriptor.HelpLinkUri);
            Assert.Equal($"https://github.com/kappa-dotnet/kappa/blob/main/docs/diagnostics/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
            Assert.Contains($"{descriptor.Id} | Kappa.Usage | Error |", unshipped, StringComparison.Ordinal);
        }
    }

    private static string RepoRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));
}
