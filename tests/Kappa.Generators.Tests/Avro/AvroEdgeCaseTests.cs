using System.Collections.Immutable;
using Kappa.Generators.Avro;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kappa.Generators.Tests.Avro;

public class AvroEdgeCaseTests
{
    [Theory]
    [InlineData("public readonly partial record struct R(int A, string B);")]
    [InlineData("public sealed partial record R(int A) { public string Extra { get; init; } = \"\"; }")]
    [InlineData("public partial class R { public required string Name { get; init; } public int Age { get; set; } }")]
    [InlineData("public partial record R(int A); [AvroRecord] public partial record Derived(int A, long B) : R(A);")]
    [InlineData("public partial record R(int? A, List<int?> B, Dictionary<string, List<string?>?> C, Address?[] D); [AvroRecord] public partial record Address(string S);")]
    [InlineData("public partial record R(Color Color, Color[] Colors); public enum Color : byte { Red = 1, Green = 2, Crimson = 1 }")]
    [InlineData("public partial record @event(int @class, string @record);")]
    [InlineData("public partial record Empty(); [AvroRecord] public partial record Holder(List<Empty> Items, Empty One);")]
    public void Unusual_but_valid_declarations_compile_cleanly(string declaration)
    {
        var result = GeneratorRunner.Run(
            new AvroRecordGenerator(),
            "using System; using System.Collections.Generic; using Kappa; namespace N; [AvroRecord] " + declaration);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.NotEmpty(result.GeneratedSources);
        GeneratorRunner.AssertCompilesCleanly(result);
    }

    [Fact]
    public void Nested_record_from_a_referenced_assembly_is_embedded_in_the_schema()
    {
        // Library: generate and compile Address, then use it from another compilation as metadata.
        var library = GeneratorRunner.Run(new AvroRecordGenerator(), "using Kappa; namespace Lib; [AvroRecord] public partial record Address(string Street, int? Zip);");
        GeneratorRunner.AssertCompilesCleanly(library);
        using var image = new MemoryStream();
        var emit = library.OutputCompilation.WithAssemblyName("Lib").Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        var libraryReference = MetadataReference.CreateFromImage(image.ToArray());

        var app = GeneratorRunner.CreateCompilation("using Kappa; namespace App; [AvroRecord] public partial record Order(long Id, Lib.Address Ship);")
            .AddReferences(libraryReference);
        GeneratorDriver driver = GeneratorRunner.CreateDriver(new AvroRecordGenerator())
            .RunGeneratorsAndUpdateCompilation(app, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        string source = driver.GetRunResult().GeneratedTrees.Single().ToString();
        Assert.Contains("{\\\"name\\\":\\\"Lib.Address\\\",\\\"type\\\":\\\"record\\\",\\\"fields\\\":[{\\\"name\\\":\\\"Street\\\",\\\"type\\\":\\\"string\\\"},{\\\"name\\\":\\\"Zip\\\",\\\"type\\\":[\\\"null\\\",\\\"int\\\"]}]}", source);
    }
}
