using System.Reflection;
using Kappa.Analyzers.Common;
using Kappa.Analyzers.Determinism;
using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>Every diagnostic has its docs page, release entry, help link and a message with the call chain.</summary>
public class DescriptorTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    public static TheoryData<string> Ids() => new(new DeterminismAnalyzer().SupportedDiagnostics.Select(d => d.Id));

    [Theory]
    [MemberData(nameof(Ids))]
    public void EachRule_HasDocsPage_ReleaseEntry_HelpLink_AndChainInMessage(string id)
    {
        DiagnosticDescriptor descriptor = new DeterminismAnalyzer().SupportedDiagnostics.Single(d => d.Id == id);
        Assert.Equal(DiagnosticDescriptors.HelpLink(id), descriptor.HelpLinkUri);
        Assert.EndsWith($"/docs/diagnostics/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        string page = Path.Combine(RepoRoot, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"missing {page}");
        string text = File.ReadAllText(page);
        foreach (string section in new[] { "## What is reported", "## Why it breaks replay", "## What to do instead", "## Example", "## Configuring the severity" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }

        Assert.Contains($"dotnet_diagnostic.{id}.severity", text, StringComparison.Ordinal);
        string releases = File.ReadAllText(Path.Combine(RepoRoot, "src", "Analyzers", "Kappa.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(id + " | Determinism |", releases, StringComparison.Ordinal);
        Assert.Contains("[{1}]", descriptor.MessageFormat.ToString(), StringComparison.Ordinal);
        Assert.Equal(DiagnosticDescriptors.Category, descriptor.Category);
    }

    [Fact]
    public void Ids_AreUnique_AndInTheDeterminismRange()
    {
        var ids = new DeterminismAnalyzer().SupportedDiagnostics.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^KAPPA1[0-9]{2}$", id));
        Assert.False(new DeterminismAnalyzer().SupportedDiagnostics.Single(d => d.Id == "KAPPA190").IsEnabledByDefault);
    }

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Gen.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("Gen.sln not found above " + AppContext.BaseDirectory);
    }
}
