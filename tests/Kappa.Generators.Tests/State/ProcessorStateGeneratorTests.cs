using Kappa.Generators.Common;
using Kappa.Generators.State;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Tests.State;

public class ProcessorStateGeneratorTests
{
    [Theory]
    [InlineData("RegionTotals", StateSources.RegionTotals)]
    [InlineData("AllTypes", StateSources.AllTypes)]
    [InlineData("Nested", StateSources.Nested)]
    [InlineData("GlobalNamespace", StateSources.GlobalNamespace)]
    public Task Generated_code_matches_baseline_and_compiles_cleanly(string scenario, string source) =>
        new KappaGeneratorTest<ProcessorStateGenerator>
        {
            TestState = { Sources = { source } },
            DisabledDiagnostics = { "KAPPA049" }, // "new lock entry" infos: there is no lock file here (checked in New_type_reports_its_lock_entry_as_info)
        }.ExpectBaselines(scenario).RunAsync();

    [Fact]
    public void Output_is_byte_stable_across_runs()
    {
        var first = GeneratorRunner.Run(new ProcessorStateGenerator(), StateSources.AllTypes).GeneratedSources;
        var second = GeneratorRunner.Run(new ProcessorStateGenerator(), StateSources.AllTypes).GeneratedSources;
        Assert.Equal(first, second);
        Assert.All(first, s => Assert.DoesNotContain("\r", s.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void Hint_names_are_type_full_names()
    {
        var result = GeneratorRunner.Run(new ProcessorStateGenerator(), StateSources.AllTypes);
        Assert.Equal(
            ["Demo.Everything.State.g.cs", "Demo.Inner.State.g.cs", "Demo.Point.State.g.cs", "KappaStateLock.g.cs"],
            result.GeneratedSources.Select(s => s.HintName).ToArray());
    }

    [Fact]
    public void AddingUnrelatedType_DoesNotRegenerate()
    {
        GeneratorRunner.AssertIncrementalCaching(
            new ProcessorStateGenerator(),
            [StateSources.AllTypes],
            GeneratorRunner.AddUnrelatedType,
            TrackingNames.StateModels,
            TrackingNames.StateDiagnostics);
    }

    [Fact]
    public void EditingMethodBodyOfStateType_DoesNotRegenerate()
    {
        const string before = """
            using Kappa;
            namespace Demo;
            [ProcessorState]
            public partial struct S { public int A; public int Twice() => A * 2; }
            """;
        GeneratorRunner.AssertIncrementalCaching(
            new ProcessorStateGenerator(),
            [before],
            c => c.ReplaceSyntaxTree(
                c.SyntaxTrees.First(),
                c.SyntaxTrees.First().WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(before.Replace("A * 2", "A * 3", StringComparison.Ordinal)))),
            TrackingNames.StateModels,
            TrackingNames.StateDiagnostics);
    }

    [Fact]
    public void New_type_reports_its_lock_entry_as_info()
    {
        var result = GeneratorRunner.Run(new ProcessorStateGenerator(), StateSources.RegionTotals);
        Diagnostic info = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("KAPPA049", info.Id);
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        string message = info.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("\"type\": \"Demo.RegionTotals\"", message, StringComparison.Ordinal);
        Assert.Contains("{ \"number\": 1, \"name\": \"Revenue\", \"type\": \"decimal\" }", message, StringComparison.Ordinal);
        Assert.Contains("{ \"number\": 2, \"name\": \"Orders\", \"type\": \"long\" }", message, StringComparison.Ordinal);
    }
}
