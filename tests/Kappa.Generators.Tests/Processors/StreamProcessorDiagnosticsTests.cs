using Kappa.Generators.Processors;
using Kappa.Generators.Tests.Infrastructure;
using Kappa.Naming;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Tests.Processors;

public class StreamProcessorDiagnosticsTests
{
    private static Compilation? _lastInput;

    private static Diagnostic Single(string source, string id)
    {
        var result = GeneratorRunner.Run(new StreamProcessorGenerator(), ProcessorSources.Records, source);
        var matching = result.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}, got: {string.Join("\n", result.GeneratorDiagnostics)}");
        Diagnostic diagnostic = matching[0];
        _lastInput = result.InputCompilation;
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal($"https://github.com/kappa-dotnet/kappa/blob/main/docs/diagnostics/{id}.md", diagnostic.Descriptor.HelpLinkUri);
        return diagnostic;
    }

    /// <summary>The source text a diagnostic points at (generator locations are file path + span, so find the tree by path).</summary>
    private static string SpanText(Diagnostic diagnostic)
    {
        string path = diagnostic.Location.GetLineSpan().Path;
        SyntaxTree tree = _lastInput!.SyntaxTrees.Single(t => t.FilePath == path);
        return tree.GetText().ToString(diagnostic.Location.SourceSpan);
    }

    private static string Processor(string members, string header = "[StreamProcessor(\"p\")]", string modifiers = "public partial class") => $$"""
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
            {{modifiers}} P
            {
                {{members}}
            }
        }
        """;

    private const string ValidHandler = "[Consume(\"orders\")] public void Handle(Order order) { }";

    [Fact]
    public void KAPPA020_processor_not_partial()
    {
        var d = Single(Processor(ValidHandler, modifiers: "public class"), "KAPPA020");
        Assert.Equal("P", SpanText(d));
        Assert.Contains("'P' must be declared partial", d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static partial class", "is static")]
    [InlineData("public abstract partial class", "is abstract")]
    public void KAPPA021_unsupported_declaration(string modifiers, string reason)
    {
        var d = Single(Processor(ValidHandler, modifiers: modifiers), "KAPPA021");
        Assert.Contains(reason, d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA021_nested_and_generic_processors()
    {
        const string nested = """
            using Kappa; using Shop;
            public partial class Outer
            {
                [StreamProcessor("p")] public partial class Inner { [Consume("orders")] public void Handle(Order order) { } }
            }
            [StreamProcessor("q")] public partial class Gen<T> { [Consume("orders")] public void Handle(Order order) { } }
            """;
        var result = GeneratorRunner.Run(new StreamProcessorGenerator(), ProcessorSources.Records, nested);
        var messages = result.GeneratorDiagnostics.Where(d => d.Id == "KAPPA021").Select(d => d.GetMessage()).OrderBy(m => m, StringComparer.Ordinal).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains("is generic", messages[0], StringComparison.Ordinal);
        Assert.Contains("is nested in 'Outer'", messages[1], StringComparison.Ordinal);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void KAPPA022_no_handler()
    {
        var d = Single(Processor("public void NotAHandler(Order order) { }"), "KAPPA022");
        Assert.Equal("P", SpanText(d));
    }

    [Theory]
    [InlineData("[Consume(\"orders\")] public void Handle() { }", "has 0 parameters")]
    [InlineData("[Consume(\"orders\")] public void Handle(Order a, RecordContext c, int x) { }", "third parameter after its RecordContext")]
    [InlineData("[Consume(\"orders\")] public void Handle(Order a, ref Counter c, int x) { }", "third parameter, which must be Kappa.RecordContext")]
    [InlineData("[Consume(\"orders\")] public void Handle(Order a, ref Counter c, RecordContext x, int y) { }", "has 4 parameters")]
    [InlineData("[Consume(\"orders\")] public void Handle(ref Order order) { }", "as ref")]
    [InlineData("[Consume(\"orders\")] public void Handle(Order order, out RecordContext ctx) { ctx = default; }", "as out")]
    [InlineData("[Consume(\"orders\")] public void Handle<T>(Order order) { }", "is generic")]
    [InlineData("[Consume(\"orders\")] public void Handle(RecordContext ctx, Order order) { }", "RecordContext as its first parameter")]
    [InlineData("private EnrichedOrder _o = new(); [Consume(\"orders\")] [Output(\"x\")] public ref EnrichedOrder Handle(Order order) => ref _o;", "returns by reference")]
    public void KAPPA023_bad_signature(string members, string reason)
    {
        var d = Single(Processor(members), "KAPPA023");
        Assert.Equal("Handle", SpanText(d));
        Assert.Contains("The handler 'P.Handle'", d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(reason, d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NotAvro")]
    [InlineData("string")]
    [InlineData("int")]
    public void KAPPA024_input_not_avro(string type)
    {
        var d = Single(Processor($"[Consume(\"orders\")] public void Handle({type} value) {{ }}"), "KAPPA024");
        Assert.Equal("value", SpanText(d));
        Assert.Contains("is not an Avro record", d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public Task Handle(Order o) => Task.CompletedTask;", "returns a Task")]
    [InlineData("[Output(\"x\")] public Task<EnrichedOrder> Handle(Order o) => Task.FromResult(new EnrichedOrder());", "returns a Task")]
    [InlineData("public ValueTask Handle(Order o) => default;", "returns a ValueTask")]
    [InlineData("[Output(\"x\")] public async IAsyncEnumerable<EnrichedOrder> Handle(Order o) { await Task.Yield(); yield return new EnrichedOrder(); }", "declared async")]
    [InlineData("public async void Handle(Order o) { await Task.Yield(); }", "declared async")]
    public void KAPPA025_async_handler(string member, string reason)
    {
        var d = Single(Processor("[Consume(\"orders\")] " + member), "KAPPA025");
        Assert.Contains(reason, d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA026_output_missing()
    {
        var d = Single(Processor("[Consume(\"orders\")] public EnrichedOrder Handle(Order o) => new EnrichedOrder();"), "KAPPA026");
        Assert.Equal("Handle", SpanText(d));
        Assert.Contains("returns 'Shop.EnrichedOrder' but has no [Output(\"sink\")]", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA027_output_on_void_handler()
    {
        var d = Single(Processor("[Consume(\"orders\")] [Output(\"out\")] public void Handle(Order o) { }"), "KAPPA027");
        Assert.Equal("Output(\"out\")", SpanText(d));
    }

    [Fact]
    public void KAPPA028_two_handlers_for_one_topic()
    {
        var d = Single(Processor("[Consume(\"orders\")] public void A(Order o) { } [Consume(\"orders\")] public void B(Order o) { }"), "KAPPA028");
        Assert.Equal("Consume(\"orders\")", SpanText(d));
        Assert.Contains("'P.A' and 'P.B' both consume topic 'orders'", d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[StreamProcessor(\"bad name\")]", ValidHandler, "processor name 'bad name'")]
    [InlineData("[StreamProcessor(\"\")]", ValidHandler, "processor name ''")]
    [InlineData("[StreamProcessor(\"p\")]", "[Consume(\"orders/eu\")] public void Handle(Order o) { }", "input topic 'orders/eu'")]
    [InlineData("[StreamProcessor(\"p\")]", "[Consume(\"orders\")] [Output(\"out put\")] public EnrichedOrder Handle(Order o) => new EnrichedOrder();", "sink 'out put'")]
    public void KAPPA029_invalid_names(string header, string members, string what)
    {
        var d = Single(Processor(members, header), "KAPPA029");
        Assert.Contains(what, d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA029_name_longer_than_200_characters()
    {
        string name = new('a', 201);
        var d = Single(Processor(ValidHandler, $"[StreamProcessor(\"{name}\")]"), "KAPPA029");
        Assert.Contains("201 characters long", d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void KAPPA030_version_below_one(int version)
    {
        var d = Single(Processor(ValidHandler, $"[StreamProcessor(\"p\", Version = {version})]"), "KAPPA030");
        Assert.Contains($"Version = {version}", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA031_duplicate_name_and_version()
    {
        const string second = """
            using Kappa; using Shop;
            namespace Other
            {
                [StreamProcessor("p", Version = 1)] public partial class Copy { [Consume("orders")] public void Handle(Order o) { } }
                [StreamProcessor("p", Version = 2)] public partial class NextVersion { [Consume("orders")] public void Handle(Order o) { } }
            }
            """;
        var result = GeneratorRunner.Run(new StreamProcessorGenerator(), ProcessorSources.Records, Processor(ValidHandler), second);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("KAPPA031", d.Id);
        Assert.Contains("'Other.Copy' declares 'p' version 1, which 'Tests.P' already declares", d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public NotAvro Handle(Order o) => new NotAvro();", "NotAvro")]
    [InlineData("public List<string> Handle(Order o) => new List<string>();", "string")]
    [InlineData("public int Handle(Order o) => 1;", "int")]
    public void KAPPA032_output_not_avro(string member, string element)
    {
        var d = Single(Processor("[Consume(\"orders\")] [Output(\"out\")] " + member), "KAPPA032");
        Assert.Contains($"records of type '{element}'", d.GetMessage().Replace("Shop.", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA033_no_usable_constructor()
    {
        var d = Single(Processor("private P() { } " + ValidHandler), "KAPPA033");
        Assert.Equal("P", SpanText(d));
    }

    [Fact]
    public void KAPPA034_consume_or_output_outside_a_processor()
    {
        const string source = """
            using Kappa; using Shop;
            namespace Tests
            {
                public class NotAProcessor
                {
                    [Consume("orders")] [Output("out")] public EnrichedOrder Both(Order o) => new EnrichedOrder();
                    [Output("out")] public EnrichedOrder OnlyOutput(Order o) => new EnrichedOrder();
                    [Consume("orders")] public void OnlyConsume(Order o) { }
                }
            }
            """;
        var result = GeneratorRunner.Run(new StreamProcessorGenerator(), ProcessorSources.Records, source);
        var messages = result.GeneratorDiagnostics.Select(d => $"{d.Id} {d.GetMessage()}").OrderBy(m => m, StringComparer.Ordinal).ToList();
        Assert.Equal(3, messages.Count);
        Assert.StartsWith("KAPPA034 The method 'NotAProcessor.Both' is marked [Consume]", messages[0], StringComparison.Ordinal);
        Assert.StartsWith("KAPPA034 The method 'NotAProcessor.OnlyConsume' is marked [Consume]", messages[1], StringComparison.Ordinal);
        Assert.StartsWith("KAPPA034 The method 'NotAProcessor.OnlyOutput' is marked [Output]", messages[2], StringComparison.Ordinal);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void KAPPA034_is_not_reported_inside_processors()
    {
        var result = GeneratorRunner.Run(new StreamProcessorGenerator(), ProcessorSources.Records, ProcessorSources.EnrichOrders);
        Assert.Empty(result.GeneratorDiagnostics);
    }

    [Fact]
    public void KAPPA035_output_without_consume()
    {
        var d = Single(Processor(ValidHandler + " [Output(\"out\")] public EnrichedOrder Helper(Order o) => new EnrichedOrder();"), "KAPPA035");
        Assert.Equal("Helper", SpanText(d));
        Assert.Contains("'P.Helper' is marked [Output(\"out\")] but not [Consume", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_processors_generate_nothing_but_valid_ones_still_do()
    {
        string source = Processor("[Consume(\"orders\")] public void Handle(int x) { }") + ProcessorSources.EnrichOrders;
        var result = GeneratorRunner.Run(new StreamProcessorGenerator(), ProcessorSources.Records, source);
        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == "KAPPA024");
        Assert.Equal(["Shop.EnrichOrders.Processor.g.cs", "Shop.EnrichOrders.Registration.g.cs"], result.GeneratedSources.Select(s => s.HintName));
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
    [InlineData("[Consume(\"orders\")] public void Handle(Order order, int notContext) { }", "'int' as its state parameter 'notContext'")]
    [InlineData("[Consume(\"orders\")] public void Handle(Order order, ref NotState state) { }", "'Tests.NotState' as its state parameter 'state'")]
    [InlineData("[Consume(\"orders\")] public void Handle(Order order, ref Order state, RecordContext ctx) { }", "'Shop.Order' as its state parameter 'state'")]
    public void KAPPA036_state_is_not_a_processor_state(string members, string expected)
    {
        var d = Single(Processor(members), "KAPPA036");
        Assert.Contains("The handler 'P.Handle' takes " + expected, d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("[ProcessorState]", d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Counter state", "by value", "ref Counter state")]
    [InlineData("in Counter state", "as in", "ref Counter state")]
    [InlineData("out Profile? state", "as out", "ref Tests.Profile? state")]
    public void KAPPA037_state_not_by_ref(string parameter, string how, string suggestion)
    {
        string body = parameter.StartsWith("out", StringComparison.Ordinal) ? "{ state = null; }" : "{ }";
        var d = Single(Processor($"[Consume(\"orders\")] public void Handle(Order order, {parameter}) {body}"), "KAPPA037");
        Assert.Equal("state", SpanText(d));
        Assert.Contains($"takes the state parameter 'state' {how}", d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(suggestion.Replace("ref Counter", "ref Tests.Counter", StringComparison.Ordinal), d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA038_one_store_with_two_state_types()
    {
        var d = Single(
            Processor("""
                [Consume("orders")] public void A(Order order, ref Counter totals) { }
                [Consume("refunds")] public void B(Order order, [StateStore("totals")] ref Profile? other) { }
                """),
            "KAPPA038");
        Assert.Contains("'P.A' and 'P.B' both use state store 'totals'", d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("'Tests.Counter' and 'Tests.Profile'", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA029_invalid_state_store_name()
    {
        var d = Single(Processor("[Consume(\"orders\")] public void Handle(Order order, [StateStore(\"my store\")] ref Counter c) { }"), "KAPPA029");
        Assert.Contains("The state store 'my store' is invalid", d.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("StateStore(\"my store\")", SpanText(d));
    }
}
