using Kappa.Generators.Avro;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Kappa.Generators.Tests.Avro;

/// <summary>One test per diagnostic: the ID, its severity, where it points, its help link, and that no codec is generated.</summary>
public class AvroDiagnosticsTests
{
    private const string Usings = "using System; using System.Collections.Generic; using Kappa;\nnamespace Shop;\n";

    /// <summary>The Avro codec diagnostics: KAPPA001-014, and KAPPA016-019 (enum defaults, unions, fixed, defaults) from the top of the range.</summary>
    private static readonly string[] AvroIds = [.. Enumerable.Range(1, 14).Concat(Enumerable.Range(16, 4)).Select(i => $"KAPPA{i:000}")];

    [Theory]
    [InlineData("KAPPA001", "[AvroRecord] public record {|#0:Order|}(int Id);")]
    [InlineData("KAPPA001", "public class Outer { [AvroRecord] public partial record {|#0:Order|}(int Id); }")]
    [InlineData("KAPPA002", "[AvroRecord] public partial record Order(object {|#0:Id|});")]
    [InlineData("KAPPA002", "[AvroRecord] public partial record Order(short {|#0:Id|});")]
    [InlineData("KAPPA002", "[AvroRecord] public partial record Order(int[,] {|#0:Grid|});")]
    [InlineData("KAPPA002", "[AvroRecord] public partial record Order(IEnumerable<int> {|#0:Items|});")]
    [InlineData("KAPPA003", "public record Customer(string Name); [AvroRecord] public partial record Order(Customer {|#0:Buyer|});")]
    [InlineData("KAPPA003", "public struct Point { public int X; } [AvroRecord] public partial record Order(List<Point> {|#0:Points|});")]
    [InlineData("KAPPA004", "[AvroRecord] public partial record Order(Dictionary<int, string> {|#0:ById|});")]
    [InlineData("KAPPA005", "[AvroRecord] public partial record {|#0:Envelope|}<T>(T {|#1:Value|});", "KAPPA002")]
    [InlineData("KAPPA006", "[AvroRecord] public partial record Order(decimal {|#0:Total|});")]
    [InlineData("KAPPA007", "[AvroRecord] public partial record Order([AvroDecimal(0, 0)] decimal {|#0:Total|});")]
    [InlineData("KAPPA007", "[AvroRecord] public partial record Order([AvroDecimal(10, 11)] decimal {|#0:Total|});")]
    [InlineData("KAPPA007", "[AvroRecord] public partial record Order([AvroDecimal(39, 2)] decimal {|#0:Total|});")]
    [InlineData("KAPPA008", "[AvroRecord(Name = \"Order-V2\")] public partial record {|#0:Order|}(int Id);")]
    [InlineData("KAPPA008", "[AvroRecord] public partial record Order(int {|#0:Größe|});")]
    [InlineData("KAPPA008", "public enum Farbe { Grün } [AvroRecord] public partial record Order(Farbe {|#0:Color|});")]
    [InlineData("KAPPA009", "[AvroRecord] public partial record Order([AvroDecimal(10, 2)] int {|#0:Count|});")]
    [InlineData("KAPPA009", "[AvroRecord] public partial record Order([AvroTimestamp(AvroTimestampPrecision.Micros)] DateOnly {|#0:Day|});")]
    [InlineData("KAPPA010", "[AvroRecord] public partial class {|#0:Order|} { public Order(int id) { Id = id; } public int Id { get; set; } }")]
    [InlineData("KAPPA010", "[AvroRecord] public abstract partial record {|#0:Order|}(int Id);")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDefault(\"3.5\")] int {|#0:Count|});")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDefault(\"3000000000\")] int {|#0:Count|});")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDefault(\"[1,\")] List<int> {|#0:Counts|});")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDefault(\"\\\"x\\\"\")] long {|#0:Id|});")]
    [InlineData("KAPPA019", "public enum Color { Red } [AvroRecord] public partial record Order([AvroDefault(\"\\\"Blue\\\"\")] Color {|#0:Color|});")]
    [InlineData("KAPPA019", "public enum Color { Red } [AvroRecord] public partial record Order(Color {|#0:Color|} = (Color)7);")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order(double {|#0:Limit|} = double.NaN);")]
    [InlineData("KAPPA016", "[AvroEnumDefault(\"Unkown\")] public enum Status { Unknown, Placed } [AvroRecord] public partial record Order(Status {|#0:Status|});")]
    [InlineData("KAPPA016", "[AvroEnumDefault(\"\")] public enum Status { Unknown, Placed } [AvroRecord] public partial record Order(List<Status?> {|#0:History|});")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order(DateTime {|#0:At|} = default);")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDecimal(4, 2)] decimal {|#0:Price|} = 1.234m);")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDecimal(4, 2)] decimal {|#0:Price|} = 100m);")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDefault(\"\\\"\\\\u0100\\\"\")] byte[] {|#0:Salt|});")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDefault(\"[1]\")] List<int?> {|#0:Items|});")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDefault(\"\\\"2024-01-01\\\"\")] DateOnly {|#0:Day|});")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDefault(\"\\\"not-a-uuid\\\"\")] Guid {|#0:Id|});")]
    [InlineData("KAPPA008", "[AvroRecord] public partial record Order([AvroAlias(\"old-name\")] int {|#0:Id|});")]
    [InlineData("KAPPA008", "[AvroRecord, AvroAlias(\"v1..Order\")] public partial record {|#0:Order|}(int Id);")]
    [InlineData("KAPPA009", "[AvroRecord] public partial record Order([AvroFixed(4)] string {|#0:Code|});")]
    [InlineData("KAPPA009", "[AvroRecord] public partial record Order([AvroTimestamp(Local = true)] DateTimeOffset {|#0:At|});")]
    [InlineData("KAPPA018", "[AvroRecord] public partial record Order([AvroFixed] byte[] {|#0:Hash|});")]
    [InlineData("KAPPA018", "[AvroRecord] public partial record Order([AvroFixed(-1)] ReadOnlyMemory<byte> {|#0:Hash|});")]
    [InlineData("KAPPA018", "[AvroRecord] public partial record Order([AvroFixed(8)] Guid {|#0:Id|});")]
    [InlineData("KAPPA018", "[AvroRecord] public partial record Order([AvroFixed(16)] AvroDuration {|#0:Window|});")]
    [InlineData("KAPPA018", "[AvroRecord] public partial record Order([AvroFixed(4, Name = \"4x\")] byte[] {|#0:Hash|});")]
    [InlineData("KAPPA018", "[AvroRecord] public partial record Order([AvroFixed(4, Namespace = \"a..b\")] byte[] {|#0:Hash|});")]
    [InlineData("KAPPA011", "[AvroRecord] public partial record {|#0:Order|}([AvroFixed(4, Name = \"H\")] byte[] A, [AvroFixed(8, Name = \"H\")] byte[] B);")]
    [InlineData("KAPPA017", "[AvroUnion] public abstract record Pay; [AvroRecord] public partial record Order(Pay {|#0:Pay|});")]
    [InlineData("KAPPA017", "[AvroUnion(typeof(Card))] public record Pay; [AvroRecord] public partial record Card(string N) : Pay; [AvroRecord] public partial record Order(Pay {|#0:Pay|});", null, true)]
    [InlineData("KAPPA017", "[AvroUnion(typeof(Card))] public abstract record Pay; [AvroRecord] public partial record Card(string N); [AvroRecord] public partial record Order(Pay {|#0:Pay|});", null, true)]
    [InlineData("KAPPA017", "[AvroUnion(typeof(Card))] public abstract record Pay; public record Card(string N) : Pay; [AvroRecord] public partial record Order(Pay {|#0:Pay|});")]
    [InlineData("KAPPA017", "[AvroUnion(typeof(Card), typeof(Card))] public abstract record Pay; public record Card(string N) : Pay; [AvroRecord] public partial record Order(List<Pay> {|#0:Pays|});")]
    [InlineData("KAPPA017", "[AvroRecord] public partial record Order(AvroUnion<int, int> {|#0:Value|});")]
    [InlineData("KAPPA017", "[AvroRecord] public partial record Order(AvroUnion<string, Guid> {|#0:Value|});")]
    [InlineData("KAPPA017", "[AvroRecord] public partial record Order(AvroUnion<long, DateTimeOffset, int> {|#0:Value|});")]
    [InlineData("KAPPA017", "[AvroRecord] public partial record Order(AvroUnion<int?, string> {|#0:Value|});")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDefault(\"\\\"x\\\"\")] AvroUnion<int, string> {|#0:Value|});")]
    [InlineData("KAPPA019", "[AvroUnion(typeof(Cash))] public abstract record Pay; [AvroRecord] public partial record Cash(long C) : Pay; [AvroRecord] public partial record Order([AvroDefault(\"null\")] Pay {|#0:Pay|});", null, true)]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroFixed(2)] [AvroDefault(\"\\\"abc\\\"\")] byte[] {|#0:Hash|});")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Order([AvroDefault(\"86400000\")] TimeOnly {|#0:At|});")]
    public Task Misuse_is_a_build_error(string id, string source, string? alsoAtLocation1 = null, bool otherCodecsGenerated = false)
    {
        // The harness checks the exact diagnostics (ID, severity, span) and that nothing is generated for the type.
        var test = new KappaGeneratorTest<AvroRecordGenerator>
        {
            TestCode = Usings + source,
            ExpectedDiagnostics = { new DiagnosticResult(id, DiagnosticSeverity.Error).WithLocation(0) },
        };
        if (otherCodecsGenerated)
        {
            test.TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck;
        }

        if (alsoAtLocation1 is not null)
        {
            test.ExpectedDiagnostics.Add(new DiagnosticResult(alsoAtLocation1, DiagnosticSeverity.Error).WithLocation(1));
        }

        return test.RunAsync();
    }

    /// <summary>Defaults checked against a nested record: the nested type's own codec is generated, the outer type's is not.</summary>
    [Theory]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Line(string Sku, int Qty); [AvroRecord] public partial record Order([AvroDefault(\"{\\\"Sku\\\":\\\"a\\\"}\")] Line {|#0:Line|});")]
    [InlineData("KAPPA019", "[AvroRecord] public partial record Line(string Sku); [AvroRecord] public partial record Order([AvroDefault(\"{\\\"Sku\\\":\\\"a\\\",\\\"Qty\\\":1}\")] Line {|#0:Line|});")]
    public Task Misuse_is_a_build_error_KAPPA019_record_defaults(string id, string source) =>
        new KappaGeneratorTest<AvroRecordGenerator>
        {
            TestCode = Usings + source,
            ExpectedDiagnostics = { new DiagnosticResult(id, DiagnosticSeverity.Error).WithLocation(0) },
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck,
        }.RunAsync();

    [Fact]
    public Task Misuse_is_a_build_error_KAPPA011_duplicate_schema_name_blocks_only_the_second_codec() =>
        new KappaGeneratorTest<AvroRecordGenerator>
        {
            TestCode = Usings + "[AvroRecord(Name = \"Order\")] public partial record Line(int X); [AvroRecord] public partial record {|#0:Order|}(Line Line);",
            ExpectedDiagnostics = { new DiagnosticResult("KAPPA011", DiagnosticSeverity.Error).WithLocation(0) },
        }.ExpectBaselines("DuplicateName").RunAsync(); // Line's codec only

    [Fact]
    public void Every_avro_diagnostic_has_an_error_severity_a_help_link_and_a_message()
    {
        var descriptors = typeof(AvroRecordGenerator).Assembly.GetType("Kappa.Generators.Common.DiagnosticDescriptors")!
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => f.GetValue(null))
            .OfType<DiagnosticDescriptor>()
            .Where(d => string.CompareOrdinal(d.Id, "KAPPA001") >= 0 && string.CompareOrdinal(d.Id, "KAPPA019") <= 0)
            .ToList();
        Assert.Equal(AvroIds, descriptors.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(descriptors, d =>
        {
            // KAPPA014 (schema not yet recorded in the history) is informational; the rest block the build.
            Assert.Equal(d.Id == "KAPPA014" ? DiagnosticSeverity.Info : DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.Equal($"https://github.com/kappa-dotnet/kappa/blob/main/docs/diagnostics/{d.Id}.md", d.HelpLinkUri);
            Assert.False(string.IsNullOrWhiteSpace(d.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Fact]
    public void Every_avro_diagnostic_has_a_docs_page()
    {
        string root = FindRepoRoot();
        foreach (string id in AvroIds)
        {
            string page = Path.Combine(root, "docs", "diagnostics", id + ".md");
            Assert.True(File.Exists(page), $"missing {page}");
            string text = File.ReadAllText(page);
            Assert.Contains(id, text);
            Assert.Contains("```csharp", text);
        }
    }

    [Fact]
    public Task Nested_type_errors_are_reported_once_on_the_nested_type_and_block_the_outer_codec() =>
        new KappaGeneratorTest<AvroRecordGenerator>
        {
            TestCode = Usings + "[AvroRecord] public partial record Line(decimal {|#0:Price|}); [AvroRecord] public partial record Order(Line Line);",
            ExpectedDiagnostics = { new DiagnosticResult("KAPPA006", DiagnosticSeverity.Error).WithLocation(0) },
        }.RunAsync(); // and no generated file at all

    [Fact]
    public Task Valid_input_reports_nothing() =>
        new KappaGeneratorTest<AvroRecordGenerator>
        {
            TestCode = Usings + "[AvroRecord] public partial record Order([AvroDecimal(10, 2)] decimal Total, List<Dictionary<string, int?>> X);",

            // About diagnostics and a clean compile of the output; the codec's text is the golden tests' subject.
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck,
        }.RunAsync();

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
