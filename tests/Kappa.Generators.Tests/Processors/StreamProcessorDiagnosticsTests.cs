using Kappa.Generators.Processors;
using Kappa.Generators.Tests.Infrastructure;
using Kappa.Naming;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static Kappa.Generators.Tests.Infrastructure.GeneratorDiagnosticResults;

namespace Kappa.Generators.Tests.Processors;

/// <summary>
/// One test per processor diagnostic on the standard harness: the exact diagnostics (ID, Error severity, the span marked
/// <c>{|#0:...|}</c>, the whole message), no generated files for an invalid processor, and no compiler error that is
/// not listed. Help links and docs pages of every descriptor: <see cref="ProcessorDiagnosticsRegistryTests"/>.
/// </summary>
public class StreamProcessorDiagnosticsTests
{
    private const string NameRule = "Kafka topic and group names allow only ASCII letters, digits, '.', '_' and '-'";

    private const string ValidHandler = "[Consume(\"orders\")] public void Handle(Order order) { }";

    private static KappaGeneratorTest<StreamProcessorGenerator> Test(params string[] sources)
    {
        var test = new KappaGeneratorTest<StreamProcessorGenerator>();
        test.TestState.Sources.Add(ProcessorSources.Records);
        foreach (string source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        return test;
    }

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = Test(source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>A processor class around <paramref name="members"/>; pass <c>name: "{|#0:P|}"</c> to mark the class name.</summary>
    private static string Processor(string members, string header = "[StreamProcessor(\"p\")]", string modifiers = "public partial class", string name = "P") => $$"""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Kappa;
        using Kappa.State;
        using Shop;
        namespace Tests
        {
            [ProcessorState] public partial struct Counter { public long Count; }
            [ProcessorState] public partial class Profile { public long Count; }
            public struct NotState { public long Count; }

            {{header}}
            {{modifiers}} {{name}}
            {
                {{members}}
            }
        }
        """;

    [Fact]
    public Task KAPPA020_processor_not_partial() =>
        VerifyAsync(Processor(ValidHandler, modifiers: "public class", name: "{|#0:P|}"), Error("KAPPA020").WithArguments("P"));

    [Theory]
    [InlineData("public static partial class", "is static")]
    [InlineData("public abstract partial class", "is abstract")]
    public Task KAPPA021_unsupported_declaration(string modifiers, string reason)
    {
        var test = Test(Processor("[Consume(\"orders\")] public void {|#1:Handle|}(Order order) { }", modifiers: modifiers, name: "{|#0:P|}"));
        test.ExpectedDiagnostics.Add(Error("KAPPA021").WithArguments("P", reason));
        if (reason == "is static")
        {
            test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS0708").WithLocation(1).WithArguments("Handle"));
        }

        return test.RunAsync();
    }

    [Fact]
    public Task KAPPA021_nested_and_generic_processors() =>
        VerifyAsync(
            """
            using Kappa; using Shop;
            public partial class Outer
            {
                [StreamProcessor("p")] public partial class {|#0:Inner|} { [Consume("orders")] public void Handle(Order order) { } }
            }
            [StreamProcessor("q")] public partial class {|#1:Gen|}<T> { [Consume("orders")] public void Handle(Order order) { } }
            """,
            Error("KAPPA021", 0).WithArguments("Inner", "is nested in 'Outer'"),
            Error("KAPPA021", 1).WithArguments("Gen", "is generic"));

    [Fact]
    public Task KAPPA022_no_handler() =>
        VerifyAsync(Processor("public void NotAHandler(Order order) { }", name: "{|#0:P|}"), Error("KAPPA022").WithArguments("P"));

    [Theory]
    [InlineData("[Consume(\"orders\")] public void {|#0:Handle|}() { }", "has 0 parameters")]
    [InlineData("[Consume(\"orders\")] public void {|#0:Handle|}(Order a, RecordContext c, int x) { }", "takes a third parameter after its RecordContext; the shapes are (value), (value, ctx), (value, ref state) and (value, ref state, ctx)")]
    [InlineData("[Consume(\"orders\")] public void {|#0:Handle|}(Order a, ref Counter c, int x) { }", "takes 'int' as its third parameter, which must be Kappa.RecordContext")]
    [InlineData("[Consume(\"orders\")] public void {|#0:Handle|}(Order a, ref Counter c, RecordContext x, int y) { }", "has 4 parameters")]
    [InlineData("[Consume(\"orders\")] public void {|#0:Handle|}(ref Order order) { }", "declares parameter 'order' as ref; pass values by value or 'in'")]
    [InlineData("[Consume(\"orders\")] public void {|#0:Handle|}(Order order, out RecordContext ctx) { ctx = default; }", "declares parameter 'ctx' as out; pass values by value or 'in'")]
    [InlineData("[Consume(\"orders\")] public void {|#0:Handle|}<T>(Order order) { }", "is generic")]
    [InlineData("[Consume(\"orders\")] public void {|#0:Handle|}(RecordContext ctx, Order order) { }", "takes RecordContext as its first parameter; the record value comes first")]
    [InlineData("private EnrichedOrder _o = new(); [Consume(\"orders\")] [Output(\"x\")] public ref EnrichedOrder {|#0:Handle|}(Order order) => ref _o;", "returns by reference")]
    public Task KAPPA023_bad_signature(string members, string reason) =>
        VerifyAsync(Processor(members), Error("KAPPA023").WithArguments("P.Handle", reason));

    [Theory]
    [InlineData("NotAvro", "Shop.NotAvro")]
    [InlineData("string", "string")]
    [InlineData("int", "int")]
    public Task KAPPA024_input_not_avro(string type, string displayed) =>
        VerifyAsync(Processor($"[Consume(\"orders\")] public void Handle({type} {{|#0:value|}}) {{ }}"), Error("KAPPA024").WithArguments("P.Handle", displayed));

    [Theory]
    [InlineData("public Task {|#0:Handle|}(Order o) => Task.CompletedTask;", "returns a Task")]
    [InlineData("[Output(\"x\")] public Task<EnrichedOrder> {|#0:Handle|}(Order o) => Task.FromResult(new EnrichedOrder());", "returns a Task")]
    [InlineData("public ValueTask {|#0:Handle|}(Order o) => default;", "returns a ValueTask")]
    [InlineData("[Output(\"x\")] public async IAsyncEnumerable<EnrichedOrder> {|#0:Handle|}(Order o) { await Task.Yield(); yield return new EnrichedOrder(); }", "declared async")]
    [InlineData("public async void {|#0:Handle|}(Order o) { await Task.Yield(); }", "declared async")]
    public Task KAPPA025_async_handler(string member, string reason) =>
        VerifyAsync(Processor("[Consume(\"orders\")] " + member), Error("KAPPA025").WithArguments("P.Handle", reason));

    [Fact]
    public Task KAPPA026_output_missing() =>
        VerifyAsync(
            Processor("[Consume(\"orders\")] public EnrichedOrder {|#0:Handle|}(Order o) => new EnrichedOrder();"),
            Error("KAPPA026").WithArguments("P.Handle", "Shop.EnrichedOrder"));

    [Fact]
    public Task KAPPA027_output_on_void_handler() =>
        VerifyAsync(Processor("[Consume(\"orders\")] [{|#0:Output(\"out\")|}] public void Handle(Order o) { }"), Error("KAPPA027").WithArguments("P.Handle", "out"));

    [Fact]
    public Task KAPPA028_two_handlers_for_one_topic() =>
        VerifyAsync(
            Processor("[Consume(\"orders\")] public void A(Order o) { } [{|#0:Consume(\"orders\")|}] public void B(Order o) { }"),
            Error("KAPPA028").WithArguments("P.A", "P.B", "orders"));

    [Theory]
    [InlineData("[{|#0:StreamProcessor(\"bad name\")|}]", ValidHandler, "processor name", "bad name", "it contains ' '; " + NameRule)]
    [InlineData("[{|#0:StreamProcessor(\"\")|}]", ValidHandler, "processor name", "", "it must not be empty")]
    [InlineData("[StreamProcessor(\"p\")]", "[{|#0:Consume(\"orders/eu\")|}] public void Handle(Order o) { }", "input topic", "orders/eu", "it contains '/'; " + NameRule)]
    [InlineData("[StreamProcessor(\"p\")]", "[Consume(\"orders\")] [{|#0:Output(\"out put\")|}] public EnrichedOrder Handle(Order o) => new EnrichedOrder();", "sink", "out put", "it contains ' '; " + NameRule)]
    public Task KAPPA029_invalid_names(string header, string members, string what, string name, string problem) =>
        VerifyAsync(Processor(members, header), Error("KAPPA029").WithArguments(what, name, problem));

    [Fact]
    public Task KAPPA029_name_longer_than_200_characters()
    {
        string name = new('a', 201);
        return VerifyAsync(
            Processor(ValidHandler, $"[{{|#0:StreamProcessor(\"{name}\")|}}]"),
            Error("KAPPA029").WithArguments("processor name", name, "it is 201 characters long; at most 200 are allowed so that versioned topic names stay within Kafka's 249-character limit"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public Task KAPPA030_version_below_one(int version) =>
        VerifyAsync(Processor(ValidHandler, $"[{{|#0:StreamProcessor(\"p\", Version = {version})|}}]"), Error("KAPPA030").WithArguments("p", version));

    [Fact]
    public Task KAPPA031_duplicate_name_and_version()
    {
        const string second = """
            using Kappa; using Shop;
            namespace Other
            {
                [{|#0:StreamProcessor("p", Version = 1)|}] public partial class Copy { [Consume("orders")] public void Handle(Order o) { } }
                [StreamProcessor("p", Version = 2)] public partial class NextVersion { [Consume("orders")] public void Handle(Order o) { } }
            }
            """;
        var test = Test(Processor(ValidHandler), second);
        test.ExpectedDiagnostics.Add(Error("KAPPA031").WithArguments("Other.Copy", "p", 1, "Tests.P"));

        // The three processors' code is generated (the error stops the build); this test is about the diagnostic only.
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        return test.RunAsync();
    }

    [Theory]
    [InlineData("public NotAvro {|#0:Handle|}(Order o) => new NotAvro();", "Shop.NotAvro", "Shop.NotAvro")]
    [InlineData("public List<string> {|#0:Handle|}(Order o) => new List<string>();", "System.Collections.Generic.List<string>", "string")]
    [InlineData("public int {|#0:Handle|}(Order o) => 1;", "int", "int")]
    public Task KAPPA032_output_not_avro(string member, string returned, string element) =>
        VerifyAsync(Processor("[Consume(\"orders\")] [Output(\"out\")] " + member), Error("KAPPA032").WithArguments("P.Handle", returned, element));

    [Fact]
    public Task KAPPA033_no_usable_constructor() =>
        VerifyAsync(Processor("private P() { } " + ValidHandler, name: "{|#0:P|}"), Error("KAPPA033").WithArguments("P"));

    [Fact]
    public Task KAPPA034_consume_or_output_outside_a_processor() =>
        VerifyAsync(
            """
            using Kappa; using Shop;
            namespace Tests
            {
                public class NotAProcessor
                {
                    [Consume("orders")] [Output("out")] public EnrichedOrder {|#0:Both|}(Order o) => new EnrichedOrder();
                    [Output("out")] public EnrichedOrder {|#1:OnlyOutput|}(Order o) => new EnrichedOrder();
                    [Consume("orders")] public void {|#2:OnlyConsume|}(Order o) { }
                }
            }
            """,
            Error("KAPPA034", 0).WithArguments("NotAProcessor.Both", "Consume", "NotAProcessor"),
            Error("KAPPA034", 1).WithArguments("NotAProcessor.OnlyOutput", "Output", "NotAProcessor"),
            Error("KAPPA034", 2).WithArguments("NotAProcessor.OnlyConsume", "Consume", "NotAProcessor"));

    [Fact]
    public Task KAPPA034_is_not_reported_inside_processors() =>
        Test(ProcessorSources.EnrichOrders).ExpectBaselines("SingleHandler").RunAsync();

    [Fact]
    public Task KAPPA035_output_without_consume() =>
        VerifyAsync(
            Processor(ValidHandler + " [Output(\"out\")] public EnrichedOrder {|#0:Helper|}(Order o) => new EnrichedOrder();"),
            Error("KAPPA035").WithArguments("P.Helper", "out"));

    [Fact]
    public Task Invalid_processors_generate_nothing_but_valid_ones_still_do()
    {
        var test = Test(Processor("[Consume(\"orders\")] public void Handle(int {|#0:x|}) { }"), ProcessorSources.EnrichOrders);
        test.ExpectedDiagnostics.Add(Error("KAPPA024").WithArguments("P.Handle", "int"));
        return test.ExpectBaselines("SingleHandler").RunAsync(); // exactly EnrichOrders' files
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("a.b_c-D9")]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("ümlaut")]
    [InlineData("slash/name")]
    [InlineData("x")]
    public void Generator_name_rule_agrees_with_KappaNames(string name)
    {
        bool runtimeAccepts = Accepts(name);
        Assert.Equal(runtimeAccepts, StreamProcessorGenerator.Parser.NameProblem(name) is null);
    }

    [Fact]
    public void Generator_name_rule_agrees_with_KappaNames_on_every_character_and_on_lengths()
    {
        for (int c = 0; c < 0x3000; c++)
        {
            string name = "a" + (char)c;
            Assert.True(Accepts(name) == (StreamProcessorGenerator.Parser.NameProblem(name) is null), $"Disagreement on U+{c:X4}");
        }

        foreach (int length in new[] { 1, 199, 200, 201, 249 })
        {
            string name = new('n', length);
            Assert.Equal(Accepts(name), StreamProcessorGenerator.Parser.NameProblem(name) is null);
        }
    }

    private static bool Accepts(string name)
    {
        try
        {
            KappaNames.ValidateName(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [Theory]
    [InlineData("[Consume(\"orders\")] public void Handle(Order order, int {|#0:notContext|}) { }", "int", "notContext")]
    [InlineData("[Consume(\"orders\")] public void Handle(Order order, ref NotState {|#0:state|}) { }", "Tests.NotState", "state")]
    [InlineData("[Consume(\"orders\")] public void Handle(Order order, ref Order {|#0:state|}, RecordContext ctx) { }", "Shop.Order", "state")]
    public Task KAPPA036_state_is_not_a_processor_state(string members, string type, string parameter) =>
        VerifyAsync(Processor(members), Error("KAPPA036").WithArguments("P.Handle", type, parameter));

    [Theory]
    [InlineData("Counter {|#0:state|}", "by value", "Tests.Counter")]
    [InlineData("in Counter {|#0:state|}", "as in", "Tests.Counter")]
    [InlineData("out Profile? {|#0:state|}", "as out", "Tests.Profile?")]
    public Task KAPPA037_state_not_by_ref(string parameter, string how, string suggestedType)
    {
        string body = parameter.StartsWith("out", StringComparison.Ordinal) ? "{ state = null; }" : "{ }";
        return VerifyAsync(
            Processor($"[Consume(\"orders\")] public void Handle(Order order, {parameter}) {body}"),
            Error("KAPPA037").WithArguments("P.Handle", "state", how, suggestedType));
    }

    [Fact]
    public Task KAPPA038_one_store_with_two_state_types() =>
        VerifyAsync(
            Processor("""
                [Consume("orders")] public void A(Order order, ref Counter totals) { }
                [Consume("refunds")] public void {|#0:B|}(Order order, [StateStore("totals")] ref Profile? other) { }
                """),
            Error("KAPPA038").WithArguments("P.A", "P.B", "totals", "Tests.Counter", "Tests.Profile"));

    [Fact]
    public Task KAPPA029_invalid_state_store_name() =>
        VerifyAsync(
            Processor("[Consume(\"orders\")] public void Handle(Order order, [{|#0:StateStore(\"my store\")|}] ref Counter c) { }"),
            Error("KAPPA029").WithArguments("state store", "my store", "it contains ' '; " + NameRule));

    [Fact]
    public Task KAPPA039_one_sink_written_with_two_formats() =>
        VerifyAsync(
            Processor("""
                [Consume("orders")] [Output("events", Format = ValueFormat.ConfluentAvro)] public EnrichedOrder A(Order o) => new EnrichedOrder();
                [Consume("refunds")] [{|#0:Output("events")|}] public EnrichedOrder B(Order o) => new EnrichedOrder();
                """),
            Error("KAPPA039").WithArguments("P.B", "writes sink 'events' as ValueFormat.Avro, but the handler 'P.A' writes it as ValueFormat.ConfluentAvro with SubjectNameStrategy.Topic; every handler writing one sink must declare the same Format and SubjectNameStrategy on [Output]"));

    [Fact]
    public Task KAPPA039_one_sink_with_two_subject_strategies() =>
        VerifyAsync(
            Processor("""
                [Consume("orders")] [Output("events", Format = ValueFormat.ConfluentAvro)] public EnrichedOrder A(Order o) => new EnrichedOrder();
                [Consume("refunds")] [{|#0:Output("events", Format = ValueFormat.ConfluentAvro, SubjectNameStrategy = Kappa.Avro.Registry.SubjectNameStrategy.Record)|}] public EnrichedOrder B(Order o) => new EnrichedOrder();
                """),
            Error("KAPPA039").WithArguments("P.B", "writes sink 'events' as ValueFormat.ConfluentAvro with SubjectNameStrategy.Record, but the handler 'P.A' writes it as ValueFormat.ConfluentAvro with SubjectNameStrategy.Topic; every handler writing one sink must declare the same Format and SubjectNameStrategy on [Output]"));

    [Fact]
    public Task KAPPA039_unknown_input_format() =>
        VerifyAsync(
            Processor("[{|#0:Consume(\"orders\", Format = (ValueFormat)7)|}] public void Handle(Order o) { }"),
            Error("KAPPA039").WithArguments("P.Handle", "declares the unknown value format 7 on [Consume(\"orders\")]; use ValueFormat.Avro or ValueFormat.ConfluentAvro"));

    [Fact]
    public Task KAPPA039_unknown_subject_strategy() =>
        VerifyAsync(
            Processor("[Consume(\"orders\")] [{|#0:Output(\"out\", Format = ValueFormat.ConfluentAvro, SubjectNameStrategy = (Kappa.Avro.Registry.SubjectNameStrategy)9)|}] public EnrichedOrder Handle(Order o) => new EnrichedOrder();"),
            Error("KAPPA039").WithArguments("P.Handle", "declares the unknown subject name strategy 9 on [Output(\"out\")]; use SubjectNameStrategy.Topic, Record or TopicRecord"));
}
