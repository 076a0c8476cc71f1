using Kappa.Generators.Avro;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Tests.Avro;

/// <summary>One test per diagnostic: the ID, its severity, where it points, its help link, and that no codec is generated.</summary>
public class AvroDiagnosticsTests
{
    private const string Usings = "using System; using System.Collections.Generic; using Kappa;\nnamespace Shop;\n";

    [Theory]
    [InlineData("KAPPA001", "[AvroRecord] public record Order(int Id);", "Order")]
    [InlineData("KAPPA001", "public class Outer { [AvroRecord] public partial record Order(int Id); }", "Order")]
    [InlineData("KAPPA002", "[AvroRecord] public partial record Order(object Id);", "Id")]
    [InlineData("KAPPA002", "[AvroRecord] public partial record Order(short Id);", "Id")]
    [InlineData("KAPPA002", "[AvroRecord] public partial record Order(int[,] Grid);", "Grid")]
    [InlineData("KAPPA002", "[AvroRecord] public partial record Order(IEnumerable<int> Items);", "Items")]
    [InlineData("KAPPA003", "public record Customer(string Name); [AvroRecord] public partial record Order(Customer Buyer);", "Buyer")]
    [InlineData("KAPPA003", "public struct Point { public int X; } [AvroRecord] public partial record Order(List<Point> Points);", "Points")]
    [InlineData("KAPPA004", "[AvroRecord] public partial record Order(Dictionary<int, string> ById);", "ById")]
    [InlineData("KAPPA005", "[AvroRecord] public partial record Envelope<T>(T Value);", "Envelope")]
    [InlineData("KAPPA006", "[AvroRecord] public partial record Order(decimal Total);", "Total")]
    [InlineData("KAPPA007", "[AvroRecord] public partial record Order([AvroDecimal(0, 0)] decimal Total);", "Total")]
    [InlineData("KAPPA007", "[AvroRecord] public partial record Order([AvroDecimal(10, 11)] decimal Total);", "Total")]
    [InlineData("KAPPA007", "[AvroRecord] public partial record Order([AvroDecimal(39, 2)] decimal Total);", "Total")]
    [InlineData("KAPPA008", "[AvroRecord(Name = \"Order-V2\")] public partial record Order(int Id);", "Order")]
    [InlineData("KAPPA008", "[AvroRecord] public partial record Order(int Größe);", "Größe")]
    [InlineData("KAPPA008", "public enum Farbe { Grün } [AvroRecord] public partial record Order(Farbe Color);", "Color")]
    [InlineData("KAPPA009", "[AvroRecord] public partial record Order([AvroDecimal(10, 2)] int Count);", "Count")]
    [InlineData("KAPPA009", "[AvroRecord] public partial record Order([AvroTimestamp(AvroTimestampPrecision.Micros)] DateOnly Day);", "Day")]
    [InlineData("KAPPA010", "[AvroRecord] public partial class Order { public Order(int id) { Id = id; } public int Id { get; set; } }", "Order")]
    [InlineData("KAPPA010", "[AvroRecord] public abstract partial record Order(int Id);", "Order")]
    [InlineData("KAPPA011", "[AvroRecord(Name = \"Order\")] public partial record Line(int X); [AvroRecord] public partial record Order(Line Line);", "Order")]
    public void Misuse_is_a_build_error(string id, string source, string locationText)
    {
        var result = GeneratorRunner.Run(new AvroRecordGenerator(), Usings + source);
        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics, d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal($"https://github.com/kappa-dotnet/kappa/blob/main/docs/diagnostics/{id}.md", diagnostic.Descriptor.HelpLinkUri);
        string path = diagnostic.Location.GetLineSpan().Path;
        string text = result.InputCompilation.SyntaxTrees.Single(t => t.FilePath == path).ToString();
        string located = text.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
        Assert.Equal(locationText, located);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName.Contains("Shop.Order.") || s.HintName.Contains("Envelope"));
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.GetMessage()));
    }

    [Fact]
    public void Every_avro_diagnostic_has_a_docs_page()
    {
        string root = FindRepoRoot();
        foreach (string id in Enumerable.Range(1, 11).Select(i => $"KAPPA{i:000}"))
        {
            string page = Path.Combine(root, "docs", "diagnostics", id + ".md");
            Assert.True(File.Exists(page), $"missing {page}");
            string text = File.ReadAllText(page);
            Assert.Contains(id, text);
            Assert.Contains("```csharp", text);
        }
    }

    [Fact]
    public void Nested_type_errors_are_reported_once_on_the_nested_type_and_block_the_outer_codec()
    {
        var result = GeneratorRunner.Run(
            new AvroRecordGenerator(),
            Usings + "[AvroRecord] public partial record Line(decimal Price); [AvroRecord] public partial record Order(Line Line);");
        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("KAPPA006", diagnostic.Id);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Valid_input_reports_nothing()
    {
        var result = GeneratorRunner.Run(new AvroRecordGenerator(), Usings + "[AvroRecord] public partial record Order([AvroDecimal(10, 2)] decimal Total, List<Dictionary<string, int?>> X);");
        Assert.Empty(result.GeneratorDiagnostics);
        GeneratorRunner.AssertCompilesCleanly(result);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gen.sln not found above " + AppContext.BaseDirectory);
    }
}
