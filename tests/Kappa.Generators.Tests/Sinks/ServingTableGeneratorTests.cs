using Kappa.Generators.Avro;
using Kappa.Generators.Common;
using Kappa.Generators.Processors;
using Kappa.Generators.Sinks;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Kappa.Generators.Tests.Sinks;

public class ServingTableGeneratorTests
{
    private const string Usings = "using System; using System.Collections.Generic; using Kappa;\nnamespace Shop;\n";

    [Fact]
    public Task Every_column_kind_generates_expected_code_that_compiles_cleanly() =>
        new KappaGeneratorTest<ServingTableGenerator> { TestState = { Sources = { ServingTableSources.AllColumns } } }.ExpectBaselines("AllColumns").RunAsync();

    [Fact]
    public Task An_append_table_in_a_containing_type_generates_expected_code() =>
        new KappaGeneratorTest<ServingTableGenerator> { TestState = { Sources = { ServingTableSources.AppendTable } } }.ExpectBaselines("AppendTable").RunAsync();

    [Fact]
    public void Union_time_and_duration_members_become_json_that_compiles_cleanly()
    {
        // An [AvroUnion] column and a record column holding TimeOnly, AvroDuration and a union: written as JSON (a union
        // as Avro's JSON encoding, {"branch full name": {...}}).
        const string source = Usings + """
            [AvroUnion(typeof(Card), typeof(Cash))] public abstract partial record Payment;
            [AvroRecord] public partial record Card(string Number) : Payment;
            [AvroRecord] public partial record Cash(long Cents) : Payment;
            [AvroRecord] public partial record Slot(TimeOnly Opens, AvroDuration Length, Payment? Deposit, AvroUnion<int, Card>? Seat);
            [AvroRecord, ServingTable(TableMode.Upsert)] public partial record Booking([property: TableKey] string Id, Payment Payment, Slot Slot);
            """;
        var result = GeneratorRunner.Run([new AvroRecordGenerator(), new ServingTableGenerator()], source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationProblems);
        string code = result.Source("Shop.Booking.Table.g.cs");
        Assert.Contains("new(\"payment\", global::Kappa.Sinks.TableColumnType.Json", code);
        Assert.Contains("json.WritePropertyName(\"Shop.Card\");", code);
        Assert.Contains("json.WriteNumber(\"Months\", ", code);
        Assert.Contains(".ToString(\"HH:mm:ss.FFFFFFF\", ", code);
        Assert.Contains("switch (u", code); // the AvroUnion<int, Card>: the branch it holds
    }

    [Fact]
    public void Columns_keys_and_indexes_follow_the_declaration()
    {
        var result = GeneratorRunner.Run(new ServingTableGenerator(), ServingTableSources.AllColumns);
        string code = result.Source("Shop.RegionOrder.Table.g.cs");

        // Member names in snake_case unless renamed; key order from [TableKey(Order)]; index members become column names.
        Assert.Contains("new(\"order_id\", global::Kappa.Sinks.TableColumnType.Text, Nullable: false, Precision: 0, Scale: 0, IsKey: true)", code);
        Assert.Contains("new(\"amount\", global::Kappa.Sinks.TableColumnType.Decimal, Nullable: false, Precision: 12, Scale: 2, IsKey: false)", code);
        Assert.Contains("new(\"ref\", global::Kappa.Sinks.TableColumnType.Uuid", code);
        Assert.Contains("new(\"coupon\", global::Kappa.Sinks.TableColumnType.Text, Nullable: true", code);
        Assert.Contains("new(\"by_warehouse\", global::Kappa.Sinks.TableColumnType.Json", code);
        Assert.Contains("new string[] { \"region\", \"order_id\" }", code);
        Assert.Contains("new(new string[] { \"region\", \"placed_at\" }, Unique: false)", code);
        Assert.Contains("new(new string[] { \"ref\" }, Unique: true)", code);

        // Enums as their names (aliases collapse to the first name), no boxing: constrained generic calls on the writer.
        Assert.Contains("global::Shop.Tier.Gold => \"Gold\"", code);
        Assert.DoesNotContain("Tier.Best", code);
        Assert.Contains("where TWriter : struct, global::Kappa.Sinks.IRowWriter", code);
        Assert.DoesNotContain("(object)", code);

        // One JSON method per nested record type, shared by every use.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(code, @"private static void WriteKappaJson\d+\("));
    }

    [Theory]
    [InlineData("KAPPA060", "[ServingTable(TableMode.Upsert)] public partial record {|#0:Order|}([property: TableKey] string Id);")]
    [InlineData("KAPPA061", "[AvroRecord, ServingTable(TableMode.Upsert)] public partial record {|#0:Order|}(string Id);")]
    [InlineData("KAPPA062", "[AvroRecord, ServingTable(TableMode.Append)] public partial record Order([property: TableKey] string {|#0:Id|});")]
    [InlineData("KAPPA063", "[AvroRecord, ServingTable(TableMode.Append)] public partial record Order(DateOnly {|#0:Day|});")]
    [InlineData("KAPPA064", "[AvroRecord, ServingTable(TableMode.Append)] public partial record Order([property: TableColumn(\"order id\")] string {|#0:Id|});")]
    [InlineData("KAPPA064", "[AvroRecord, ServingTable(TableMode.Append)] public partial record Order([property: TableColumn(\"x\\\"; DROP TABLE t; --\")] string {|#0:Id|});")]
    [InlineData("KAPPA064", "[AvroRecord, ServingTable(TableMode.Append)] public partial record Order([property: TableColumn(\"_kappa_offset\")] long {|#0:Offset|});")]
    [InlineData("KAPPA064", "[AvroRecord, ServingTable(TableMode.Append)] public partial record Order([property: TableColumn(\"1st\")] long {|#0:First|});")]
    [InlineData("KAPPA065", "[AvroRecord, ServingTable(TableMode.Append)] public partial record Order(string OrderId, [property: TableColumn(\"ORDER_ID\")] string {|#0:Other|});")]
    [InlineData("KAPPA066", "[AvroRecord, ServingTable(TableMode.Upsert)] public partial record Order([property: TableKey] string? {|#0:Id|});")]
    [InlineData("KAPPA066", "[AvroRecord, ServingTable(TableMode.Upsert)] public partial record Order([property: TableKey] List<string> {|#0:Ids|});")]
    [InlineData("KAPPA067", "[AvroRecord, ServingTable(TableMode.Append), {|#0:TableIndex(\"Missing\")|}] public partial record Order(string Id);")]
    [InlineData("KAPPA067", "[AvroRecord, ServingTable(TableMode.Append), {|#0:TableIndex|}] public partial record Order(string Id);")]
    [InlineData("KAPPA067", "[AvroRecord, ServingTable(TableMode.Append), {|#0:TableIndex(\"Id\", \"Id\")|}] public partial record Order(string Id);")]
    [InlineData("KAPPA068", "[AvroRecord, ServingTable((TableMode)7)] public partial record {|#0:Order|}(string Id);")]
    public Task Misuse_is_a_build_error(string id, string source) =>
        new KappaGeneratorTest<ServingTableGenerator>
        {
            TestCode = Usings + source,
            ExpectedDiagnostics = { new DiagnosticResult(id, DiagnosticSeverity.Error).WithLocation(0) },
        }.RunAsync();

    [Fact]
    public Task A_serving_table_name_past_63_characters_is_a_build_error()
    {
        string sink = new string('s', 60);
        string source = Usings + $$"""
            [AvroRecord, ServingTable(TableMode.Append)] public partial record Total(string Id);
            [AvroRecord] public partial record Order(string Id);
            [StreamProcessor("p", Version = 12)]
            public partial class P
            {
                [Consume("orders")]
                [{|#0:Output("{{sink}}")|}]
                public Total Handle(Order order) => new(order.Id);
            }
            """;
        return new KappaGeneratorTest<StreamProcessorGenerator>
        {
            TestCode = source,
            ExpectedDiagnostics =
            {
                new DiagnosticResult("KAPPA069", DiagnosticSeverity.Error).WithLocation(0).WithArguments(sink, "p", "12", sink + "_v12", "64"),
            },
        }.RunAsync();
    }

    [Fact]
    public void A_processor_with_table_outputs_gets_a_registration_for_their_sink_writers()
    {
        string source = Usings + """
            [AvroRecord, ServingTable(TableMode.Upsert)] public partial record Total([property: TableKey] string Id, long Count);
            [AvroRecord] public partial record Plain(string Id);
            [AvroRecord] public partial record Order(string Id);
            [AvroRecord] public partial record Refund(string Id);
            [StreamProcessor("totals", Version = 3)]
            public partial class Totals
            {
                [Consume("orders")]
                [Output("order-totals")]
                public Total? Handle(Order order) => new(order.Id, 1);

                [Consume("refunds")]
                [Output("refund-log")]
                public IEnumerable<Plain> Handle(Refund refund) => [new(refund.Id)];
            }
            """;
        var result = GeneratorRunner.Run([new StreamProcessorGenerator(), new AvroRecordGenerator(), new ServingTableGenerator()], source);
        string registration = result.Source("Shop.Totals.Registration.g.cs");
        Assert.Contains("public static global::Kappa.Hosting.KappaBuilder AddTotalsTables(this global::Kappa.Hosting.KappaBuilder builder, global::System.Func<global::System.IServiceProvider, global::Kappa.Sinks.ISinkDatabase> database", registration);
        Assert.Contains("builder.AddSink<global::Shop.Total>(global::Shop.Totals.KappaDescriptor, \"order-totals\", database, configure);", registration);
        Assert.DoesNotContain("refund-log", registration);
        GeneratorRunner.AssertCompilesCleanly(result);

        // A processor without table outputs gets no Tables method.
        var plain = GeneratorRunner.Run([new StreamProcessorGenerator(), new AvroRecordGenerator()], source.Replace(", ServingTable(TableMode.Upsert)", string.Empty).Replace("[property: TableKey] ", string.Empty));
        Assert.DoesNotContain("Tables(", plain.Source("Shop.Totals.Registration.g.cs"));
    }

    [Fact]
    public void A_table_with_an_invalid_avro_record_reports_only_the_avro_error()
    {
        // KAPPA006 comes from the Avro generator; the table generator adds nothing and generates nothing.
        var result = GeneratorRunner.Run(new ServingTableGenerator(), Usings + "[AvroRecord, ServingTable(TableMode.Append)] public partial record Order(decimal Total);");
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.GeneratedSources);
    }

    [Theory]
    [InlineData("OrderId", "order_id")]
    [InlineData("HTTPCode", "http_code")]
    [InlineData("Sku2", "sku2")]
    [InlineData("placedAt", "placed_at")]
    [InlineData("_private", "_private")]
    [InlineData("ID", "id")]
    public void Column_names_default_to_snake_case(string member, string column) =>
        Assert.Equal(column, ServingTableGenerator.Parser.SnakeCase(member));

    [Fact]
    public void AddingUnrelatedType_DoesNotRegenerate() =>
        GeneratorRunner.AssertIncrementalCaching(
            new ServingTableGenerator(),
            [ServingTableSources.AllColumns],
            GeneratorRunner.AddUnrelatedType,
            TrackingNames.ServingTableModels,
            TrackingNames.ServingTableDiagnostics);

    [Fact]
    public void Every_table_diagnostic_has_a_docs_page_and_an_error_severity()
    {
        var descriptors = typeof(ServingTableGenerator).Assembly.GetType("Kappa.Generators.Common.DiagnosticDescriptors")!
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => f.GetValue(null))
            .OfType<DiagnosticDescriptor>()
            .Where(d => string.CompareOrdinal(d.Id, "KAPPA060") >= 0 && string.CompareOrdinal(d.Id, "KAPPA079") <= 0)
            .ToList();
        Assert.Equal(Enumerable.Range(60, 10).Select(i => $"KAPPA{i:000}"), descriptors.Select(d => d.Id).Order(StringComparer.Ordinal));
        string docs = Path.Combine(RepoRoot(), "docs", "diagnostics");
        Assert.All(descriptors, d =>
        {
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.True(File.Exists(Path.Combine(docs, d.Id + ".md")), $"docs/diagnostics/{d.Id}.md is missing");
        });
    }

    private static string RepoRoot()
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
