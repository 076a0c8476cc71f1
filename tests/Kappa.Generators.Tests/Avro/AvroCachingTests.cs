using Kappa.Generators.Avro;
using Kappa.Generators.Common;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kappa.Generators.Tests.Avro;

public class AvroCachingTests
{
    [Fact]
    public void AddingUnrelatedType_DoesNotRegenerate()
    {
        GeneratorRunner.AssertIncrementalCaching(
            new AvroRecordGenerator(),
            [AvroSources.AllTypes],
            GeneratorRunner.AddUnrelatedType,
            TrackingNames.AvroRecordModels,
            TrackingNames.AvroRecordDiagnostics);
    }

    [Fact]
    public void EditingAnotherFile_DoesNotRegenerate()
    {
        const string other = "namespace Other { public static class Helpers { public static int Twice(int x) => x * 2; } }";
        GeneratorRunner.AssertIncrementalCaching(
            new AvroRecordGenerator(),
            [AvroSources.ClassAndStruct, other],
            c =>
            {
                SyntaxTree old = c.SyntaxTrees.Single(t => t.ToString().Contains("Helpers"));
                return c.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(other.Replace("x * 2", "x + x"), GeneratorRunner.ParseOptions, old.FilePath));
            },
            TrackingNames.AvroRecordModels,
            TrackingNames.AvroRecordDiagnostics);
    }

    [Fact]
    public void DiagnosticsOnly_AddingUnrelatedType_DoesNotRegenerate()
    {
        GeneratorRunner.AssertIncrementalCaching(
            new AvroRecordGenerator(),
            ["using Kappa; [AvroRecord] public record NotPartial(int X);"],
            GeneratorRunner.AddUnrelatedType,
            TrackingNames.AvroRecordModels,
            TrackingNames.AvroRecordDiagnostics);
    }

    [Fact]
    public void AddingAField_RegeneratesTheModel()
    {
        // The counterpart of the caching tests: an edit that matters must reach the output.
        const string before = "using Kappa; namespace N; [AvroRecord] public partial record R(int A);";
        var input = GeneratorRunner.CreateCompilation(before);
        GeneratorDriver driver = GeneratorRunner.CreateDriver(new AvroRecordGenerator()).RunGenerators(input);
        SyntaxTree tree = input.SyntaxTrees.Single();
        var edited = input.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(before.Replace("int A", "int A, long B"), GeneratorRunner.ParseOptions, tree.FilePath));
        driver = driver.RunGenerators(edited);
        var steps = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.AvroRecordModels];
        Assert.Contains(steps.SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("\"B\"", driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString());
    }
}
