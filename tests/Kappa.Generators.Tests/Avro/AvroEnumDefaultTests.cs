using Kappa.Generators.Avro;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Testing;

namespace Kappa.Generators.Tests.Avro;

/// <summary>
/// [AvroEnumDefault] on an enum: the enum's Avro <c>default</c> in the schema (not in the canonical form, so the
/// fingerprint stays), KAPPA016 for a name that is not a symbol, and its effect on the schema history check and on the
/// generated resolving decoders.
/// </summary>
public class AvroEnumDefaultTests
{
    private const string HistoryPath = "/project/kappa-avro-history.json";
    private const string Usings = "using System; using System.Collections.Generic; using Kappa; using Kappa.Avro.Schemas;\nnamespace Shop;\n";
    private const string Order = "[AvroRecord] public partial record Order(string Id, Status Status);";
    private const string Plain = "public enum Status { Unknown, Placed, Shipped }";
    private const string Defaulted = "[AvroEnumDefault(nameof(Status.Unknown))] public enum Status { Unknown, Placed, Shipped }";

    /// <summary>The version that wrote a symbol today's enum no longer has.</summary>
    private const string WithReturned = "public enum Status { Unknown, Placed, Shipped, Returned }";

    private static GeneratorRunner.Result Run(string source, string? history = null) =>
        GeneratorRunner.Run(
            [new AvroRecordGenerator()],
            history is null ? [] : [new InMemoryAdditionalText(HistoryPath, history)],
            Usings + source);

    /// <summary>The value of a generated expression-bodied property (a string or a long literal).</summary>
    private static string Property(GeneratorRunner.Result result, string hintName, string name) =>
        CSharpSyntaxTree.ParseText(result.Source(hintName)).GetRoot()
            .DescendantNodes().OfType<PropertyDeclarationSyntax>()
            .Single(p => p.Identifier.ValueText == name)
            .ExpressionBody!.Expression is LiteralExpressionSyntax literal
            ? literal.Token.ValueText
            : throw new InvalidOperationException(name + " is not a literal");

    private static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    private static string UpdatedHistory(GeneratorRunner.Result result) =>
        CSharpSyntaxTree.ParseText(result.Source(AvroRecordGenerator.HistoryHintName)).GetRoot()
            .DescendantNodes().OfType<LiteralExpressionSyntax>().Single().Token.ValueText;

    /// <summary>The history with the schema of each source recorded in turn.</summary>
    private static string Recorded(params string[] sources)
    {
        string history = "{ \"version\": 1, \"records\": [] }";
        foreach (string source in sources)
        {
            var result = Run(source, history);
            Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
            history = UpdatedHistory(result);
        }

        return history;
    }

    [Fact]
    public void The_enum_schema_carries_its_default_after_the_symbols_and_the_fingerprint_does_not_change()
    {
        var with = Run(Defaulted + Order);
        var without = Run(Plain + Order);
        Assert.Empty(with.GeneratorDiagnostics);
        GeneratorRunner.AssertCompilesCleanly(with);

        Assert.Equal(
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"Shop\",\"fields\":[{\"name\":\"Id\",\"type\":\"string\"},"
            + "{\"name\":\"Status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\",\"namespace\":\"Shop\",\"symbols\":[\"Unknown\",\"Placed\",\"Shipped\"],\"default\":\"Unknown\"}}]}",
            Property(with, "Shop.Order.Avro.g.cs", "AvroSchemaJson"));
        Assert.Equal(
            Property(without, "Shop.Order.Avro.g.cs", "AvroSchemaJson").Replace("]}}]}", "],\"default\":\"Unknown\"}}]}", StringComparison.Ordinal),
            Property(with, "Shop.Order.Avro.g.cs", "AvroSchemaJson"));

        // The Parsing Canonical Form strips "default", so the canonical schema and the fingerprint stay.
        Assert.DoesNotContain("default", Property(with, "Shop.Order.Avro.g.cs", "AvroCanonicalSchema"), StringComparison.Ordinal);
        Assert.Equal(Property(without, "Shop.Order.Avro.g.cs", "AvroCanonicalSchema"), Property(with, "Shop.Order.Avro.g.cs", "AvroCanonicalSchema"));
        Assert.Equal(Property(without, "Shop.Order.Avro.g.cs", "AvroFingerprint"), Property(with, "Shop.Order.Avro.g.cs", "AvroFingerprint"));
    }

    [Fact]
    public void Adding_the_attribute_in_the_enums_own_file_updates_the_records_schema()
    {
        // The enum is in another file than the record: the edit must still reach the record's generated schema.
        const string enumFile = "using Kappa; namespace Shop; public enum Status { Unknown, Placed, Shipped }";
        var input = GeneratorRunner.CreateCompilation(Usings + Order, enumFile);
        GeneratorDriver driver = GeneratorRunner.CreateDriver(new AvroRecordGenerator()).RunGenerators(input);
        Assert.DoesNotContain("\\\"default\\\"", driver.GetRunResult().GeneratedTrees.Single().ToString(), StringComparison.Ordinal);

        SyntaxTree old = input.SyntaxTrees.Single(t => t.ToString().Contains("enum Status", StringComparison.Ordinal));
        var edited = input.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(enumFile.Replace("public enum", "[AvroEnumDefault(nameof(Status.Placed))] public enum", StringComparison.Ordinal), GeneratorRunner.ParseOptions, old.FilePath));
        driver = driver.RunGenerators(edited);
        Assert.Contains("\\\"default\\\":\\\"Placed\\\"}", driver.GetRunResult().GeneratedTrees.Single().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_enum_used_twice_is_defined_once_with_its_default_and_referenced_after()
    {
        var result = Run(Defaulted + "[AvroRecord] public partial record Order(Status First, List<Status?> Later, Dictionary<string, Status> ByKey);");
        Assert.Empty(result.GeneratorDiagnostics);
        GeneratorRunner.AssertCompilesCleanly(result);
        string schema = Property(result, "Shop.Order.Avro.g.cs", "AvroSchemaJson");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(schema, "\"default\":\"Unknown\""));
        Assert.Contains("{\"type\":\"array\",\"items\":[\"null\",\"Shop.Status\"]}", schema, StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_that_is_not_a_symbol_is_KAPPA016_naming_the_enum_the_name_and_the_symbols()
    {
        var result = Run("[AvroEnumDefault(\"Unkown\")] public enum Status { Unknown, Placed, Shipped }" + Order);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("KAPPA016", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(
            "Member 'Status' of 'Order' has the enum type 'Shop.Status', whose [AvroEnumDefault(\"Unkown\")] is not one of its symbols (Unknown, Placed, Shipped). "
            + "An Avro enum's default must be one of its symbols (Avro readers and registries reject the schema otherwise); name one of the enum's members, e.g. [AvroEnumDefault(nameof(Status.Unknown))].",
            Message(d));
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == "Shop.Order.Avro.g.cs");
    }

    [Fact]
    public Task KAPPA016_on_the_standard_harness_points_at_the_member() =>
        new KappaGeneratorTest<AvroRecordGenerator>
        {
            TestCode = Usings + "[AvroEnumDefault(\"Lost\")] public enum Status { Unknown, Placed } [AvroRecord] public partial record Order(string Id, Status {|#0:Status|});",
            ExpectedDiagnostics =
            {
                new DiagnosticResult("KAPPA016", DiagnosticSeverity.Error).WithLocation(0)
                    .WithArguments("Status", "Order", "Shop.Status", "Lost", "Unknown, Placed", "Status.Unknown"),
            },
        }.RunAsync();

    [Fact]
    public Task KAPPA016_in_a_nested_record_is_reported_once_there_and_blocks_the_outer_codec() =>
        new KappaGeneratorTest<AvroRecordGenerator>
        {
            TestCode = Usings + "[AvroEnumDefault(\"Lost\")] public enum Status { Unknown, Placed } [AvroRecord] public partial record Line(Status {|#0:State|}); [AvroRecord] public partial record Order(string Id, Line Line);",
            ExpectedDiagnostics = { new DiagnosticResult("KAPPA016", DiagnosticSeverity.Error).WithLocation(0) },
        }.RunAsync(); // and no generated file at all

    [Fact]
    public void A_recorded_extra_writer_symbol_breaks_the_history_without_the_default()
    {
        string history = Recorded(WithReturned + Order);
        var result = Run(Plain + Order, history);
        string message = Message(result.GeneratorDiagnostics.Single(d => d.Id == "KAPPA012"));
        Assert.Contains(
            "the new schema cannot read data written with it; field 'Status': reader enum Shop.Status lacks the writer's symbols Returned and has no default",
            message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_extra_writer_symbol_is_compatible_with_the_default_and_its_resolving_decoder_maps_it_to_the_default()
    {
        string history = Recorded(WithReturned + Order);
        var result = Run(Defaulted + Order, history);
        Assert.Equal(["KAPPA014"], result.GeneratorDiagnostics.Select(d => d.Id).ToArray());
        GeneratorRunner.AssertCompilesCleanly(result);

        string decoders = result.Source("Shop.Order.AvroResolving.g.cs");
        Assert.Contains("=> ReadAvroV1", decoders, StringComparison.Ordinal);
        Assert.Contains("0 => global::Shop.Status.Unknown,", decoders, StringComparison.Ordinal);
        Assert.Contains("2 => global::Shop.Status.Shipped,", decoders, StringComparison.Ordinal);
        Assert.Contains("_ => global::Shop.Status.Unknown,", decoders, StringComparison.Ordinal); // Returned, the last writer symbol
        Assert.DoesNotContain("has no default", decoders, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Plain, true)]
    [InlineData(Defaulted, false)]
    public void Under_FORWARD_adding_a_symbol_needs_the_default_in_the_recorded_readers_schema(string recordedEnum, bool breaks)
    {
        // FORWARD: the recorded schema reads data written with the new one, so the recorded enum needs the default.
        const string forward = "[AvroRecord(Compatibility = AvroCompatibilityMode.Forward)] public partial record Order(string Id, Status Status);";
        string history = Recorded(recordedEnum + forward);
        var result = Run("[AvroEnumDefault(nameof(Status.Unknown))] " + WithReturned + forward, history);
        string[] ids = result.GeneratorDiagnostics.Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(breaks ? ["KAPPA012", "KAPPA014"] : ["KAPPA014"], ids);
        if (breaks)
        {
            Assert.Contains(
                "readers with it cannot read data written with the new schema; field 'Status': reader enum Shop.Status lacks the writer's symbols Returned and has no default",
                Message(result.GeneratorDiagnostics.Single(d => d.Id == "KAPPA012")),
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Adding_the_default_to_a_recorded_type_keeps_its_fingerprint_so_it_stays_recorded()
    {
        string history = Recorded(Plain + Order);
        var result = Run(Defaulted + Order, history);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Equal(history, UpdatedHistory(result));
    }
}
