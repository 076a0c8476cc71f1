using Kappa.Generators.Common;
using Kappa.Generators.Processors;
using Kappa.Generators.State;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kappa.Generators.Tests.Processors;

public class StreamProcessorGeneratorTests
{
    [Fact]
    public Task SingleHandler_MatchesBaseline_AndCompilesCleanly() =>
        new KappaGeneratorTest<StreamProcessorGenerator>
        {
            TestState = { Sources = { ProcessorSources.Records, ProcessorSources.EnrichOrders } },
        }.ExpectBaselines("SingleHandler").RunAsync();

    [Fact]
    public Task AllHandlerShapes_MatchBaseline_AndCompileCleanly() =>
        new KappaGeneratorTest<StreamProcessorGenerator>
        {
            TestState = { Sources = { ProcessorSources.Records, ProcessorSources.AllShapes } },
        }.ExpectBaselines("AllShapes").RunAsync();

    [Fact]
    public Task FramedInputsAndOutputs_MatchBaseline_AndCompileCleanly() =>
        new KappaGeneratorTest<StreamProcessorGenerator>
        {
            TestState = { Sources = { ProcessorSources.Records, ProcessorSources.Framed } },
        }.ExpectBaselines("Framed").RunAsync();

    [Fact]
    public Task GlobalNamespaceProcessor_MatchesBaseline_AndCompilesCleanly() =>
        new KappaGeneratorTest<StreamProcessorGenerator>
        {
            TestState = { Sources = { ProcessorSources.Records, ProcessorSources.GlobalNamespace } },
        }.ExpectBaselines("GlobalNamespace").RunAsync();

    [Fact]
    public void Generated_files_have_stable_hint_names()
    {
        var result = GeneratorRunner.Run(new StreamProcessorGenerator(), ProcessorSources.Records, ProcessorSources.EnrichOrders, ProcessorSources.AllShapes);
        Assert.Equal(
            ["Shop.EnrichOrders.Processor.g.cs", "Shop.EnrichOrders.Registration.g.cs", "Shop.Many.AllShapes.Processor.g.cs", "Shop.Many.AllShapes.Registration.g.cs"],
            result.GeneratedSources.Select(s => s.HintName));
        GeneratorRunner.AssertCompilesCleanly(result);
    }

    [Fact]
    public void Types_marked_AvroRecord_are_accepted_before_the_Avro_generator_adds_the_interface()
    {
        // Generators do not see each other's output: a type that only carries [AvroRecord] is a valid input and output.
        const string source = """
            using Kappa;
            namespace Shop
            {
                [AvroRecord] public partial record Payment(string Id, long Cents);
                [AvroRecord] public partial record Receipt(string Id);

                [StreamProcessor("receipts", Version = 2)]
                public partial class Receipts
                {
                    [Consume("payments")] [Output("receipts")]
                    public Receipt Handle(Payment payment) => new Receipt(payment.Id);
                }
            }
            """;
        var result = GeneratorRunner.Run(new StreamProcessorGenerator(), source);
        Assert.Empty(result.GeneratorDiagnostics);
        string processor = result.Source("Shop.Receipts.Processor.g.cs");
        Assert.Contains("global::Kappa.Avro.AvroSerializer.Deserialize<global::Shop.Payment>(record.Value)", processor, StringComparison.Ordinal);
        Assert.Contains("Produce<global::Shop.Receipt>(Output0, in record, output, producer);", processor, StringComparison.Ordinal);
        Assert.Contains("KappaNames.OutputTopic(\"receipts\", 2)", processor, StringComparison.Ordinal);
    }

    [Fact]
    public void Multiple_handlers_share_one_output_field_per_sink()
    {
        var result = GeneratorRunner.Run(new StreamProcessorGenerator(), ProcessorSources.Records, ProcessorSources.AllShapes);
        string processor = result.Source("Shop.Many.AllShapes.Processor.g.cs");
        Assert.Contains("Output0 = global::Kappa.Naming.KappaNames.OutputTopic(\"out-a\", 3)", processor, StringComparison.Ordinal);
        Assert.Contains("Output1 = global::Kappa.Naming.KappaNames.OutputTopic(\"out-b\", 3)", processor, StringComparison.Ordinal);
        Assert.Contains("Output2 = global::Kappa.Naming.KappaNames.OutputTopic(\"out-c\", 3)", processor, StringComparison.Ordinal);
        Assert.DoesNotContain("Output3", processor, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingUnrelatedType_DoesNotRegenerate()
    {
        GeneratorRunner.AssertIncrementalCaching(
            new StreamProcessorGenerator(),
            [ProcessorSources.Records, ProcessorSources.EnrichOrders, ProcessorSources.AllShapes],
            GeneratorRunner.AddUnrelatedType,
            TrackingNames.ProcessorModels,
            TrackingNames.ProcessorDiagnostics,
            StreamProcessorGenerator.StrayConsumeDiagnostics,
            StreamProcessorGenerator.StrayOutputDiagnostics);
    }

    [Fact]
    public void Record_class_processor_with_static_handler_compiles_cleanly()
    {
        const string source = """
            using Kappa;
            using Shop;
            namespace Shop.Records;

            [StreamProcessor("record-proc", Version = 7)]
            public sealed partial record RecordProcessor(string Prefix)
            {
                [Consume("orders")] [Output("prefixed")]
                private static IEnumerable<EnrichedOrder> Handle(in Order order) => new[] { new EnrichedOrder { Id = order.Id } };
            }
            """;
        var result = GeneratorRunner.Run(new StreamProcessorGenerator(), ProcessorSources.Records, "global using System.Collections.Generic;", source);
        Assert.Empty(result.GeneratorDiagnostics);
        GeneratorRunner.AssertCompilesCleanly(result);
        string registration = result.Source("Shop.Records.RecordProcessor.Registration.g.cs");
        Assert.Contains("GetRequiredService<string>(services)", registration, StringComparison.Ordinal);
        Assert.Contains("partial record RecordProcessor", result.Source("Shop.Records.RecordProcessor.Processor.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void EditingHandlerBody_DoesNotRegenerate()
    {
        GeneratorRunner.AssertIncrementalCaching(
            new StreamProcessorGenerator(),
            [ProcessorSources.Records, ProcessorSources.EnrichOrders],
            compilation =>
            {
                SyntaxTree old = compilation.SyntaxTrees.Single(t => t.ToString().Contains("enrich-orders", StringComparison.Ordinal));
                string edited = old.ToString().Replace("TimestampMs = ctx.TimestampMs", "TimestampMs = ctx.TimestampMs + 1", StringComparison.Ordinal);
                return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(edited, GeneratorRunner.ParseOptions, old.FilePath));
            },
            TrackingNames.ProcessorModels,
            TrackingNames.ProcessorDiagnostics);
    }

    [Fact]
    public void ChangingTheVersion_Regenerates()
    {
        // The counterpart of the caching tests: a relevant edit must produce a new model.
        var driver = GeneratorRunner.CreateDriver(new StreamProcessorGenerator());
        var compilation = GeneratorRunner.CreateCompilation(ProcessorSources.Records, ProcessorSources.EnrichOrders);
        driver = driver.RunGenerators(compilation);
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.ToString().Contains("enrich-orders", StringComparison.Ordinal));
        var edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(old.ToString().Replace("Version = 1", "Version = 2", StringComparison.Ordinal), GeneratorRunner.ParseOptions, old.FilePath));
        driver = driver.RunGenerators(edited);
        var step = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.ProcessorModels];
        Assert.Contains(step.SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("OutputTopic(\"enriched-orders\", 2)", driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith("Processor.g.cs", StringComparison.Ordinal)).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stateful_handlers_match_baseline_and_compile_cleanly_with_the_state_generator()
    {
        var test = new KappaGeneratorTest<StreamProcessorGenerator>
        {
            TestState = { Sources = { ProcessorSources.Records, ProcessorSources.Stateful } },
            OtherGenerators = { typeof(ProcessorStateGenerator) },
            DisabledDiagnostics = { "KAPPA049" }, // the state generator's "new lock entry" infos: there is no lock file here
        };
        await test.ExpectBaselines("Stateful").RunAsync();

        var result = GeneratorRunner.Run([new StreamProcessorGenerator(), new ProcessorStateGenerator()], ProcessorSources.Records, ProcessorSources.Stateful);
        string processor = result.Source("Shop.Stateful.Stateful.Processor.g.cs");
        Assert.Contains("global::Kappa.State.StateStoreDescriptor.Create<global::Shop.Stateful.Counter>(\"stateful\", 4, \"counts\")", processor, StringComparison.Ordinal);
        Assert.Contains("global::Kappa.State.StateStoreDescriptor.Create<global::Shop.Stateful.Customer>(\"stateful\", 4, \"customer-profiles\")", processor, StringComparison.Ordinal);
        Assert.Contains("ref global::Shop.Stateful.Counter state = ref store.GetOrAdd(record.Key);", processor, StringComparison.Ordinal);
        Assert.Contains("PoisonRecordException.NullKey(in record, \"customer-profiles\")", processor, StringComparison.Ordinal);
        Assert.Contains("store.Remove(record.Key);", processor, StringComparison.Ordinal);
    }

    [Fact]
    public void Stateful_processor_editing_a_handler_body_does_not_regenerate()
    {
        GeneratorRunner.AssertIncrementalCaching(
            new StreamProcessorGenerator(),
            [ProcessorSources.Records, ProcessorSources.Stateful],
            compilation =>
            {
                SyntaxTree old = compilation.SyntaxTrees.Single(t => t.ToString().Contains("\"stateful\"", StringComparison.Ordinal));
                string edited = old.ToString().Replace("customer.Spent += order.Amount;", "customer.Spent += order.Amount * 2;", StringComparison.Ordinal);
                return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(edited, GeneratorRunner.ParseOptions, old.FilePath));
            },
            TrackingNames.ProcessorModels,
            TrackingNames.ProcessorDiagnostics);
    }
}
