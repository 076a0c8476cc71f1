using Kappa.Generators.State;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Generators.Tests.State;

public class StateLockFileTests
{
    private static string GeneratedLock(GeneratorRunner.Result result)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(result.Source("KappaStateLock.g.cs")).GetRoot();
        return root.DescendantNodes().OfType<LiteralExpressionSyntax>().Single().Token.ValueText;
    }

    [Fact]
    public void Accepting_the_generated_lock_content_silences_the_info_and_keeps_the_output()
    {
        var first = StateGeneratorHarness.Run(null, StateSources.AllTypes);
        Assert.Equal(3, first.GeneratorDiagnostics.Count(d => d.Id == "KAPPA049"));
        string json = GeneratedLock(first);

        var second = StateGeneratorHarness.Run(json, StateSources.AllTypes);
        Assert.Empty(second.GeneratorDiagnostics);
        Assert.Equal(first.GeneratedSources, second.GeneratedSources);
        Assert.Equal(json, GeneratedLock(second));
    }

    [Fact]
    public void Accepted_lock_with_retired_fields_keeps_decoding_them_for_migrations()
    {
        const string oldLock = """
            { "version": 1, "states": [ { "type": "Demo.Region", "schemaVersion": 1, "fields": [
                { "number": 1, "name": "Revenue", "type": "decimal" },
                { "number": 2, "name": "Orders", "type": "long" },
                { "number": 3, "name": "Note", "type": "string" } ] } ] }
            """;
        const string source = """
            using Kappa; using Kappa.State; namespace Demo;
            [ProcessorState] public partial struct Region
            {
                public decimal Revenue;
                public int OrderCount;
                [StateMigration("Orders")] static void MigrateOrders(ref Region s, long old) => s.OrderCount = (int)old;
            }
            """;

        // Note was removed without a migration: an error until the new shape is accepted.
        var first = StateGeneratorHarness.Run(oldLock, source);
        Assert.Contains(first.GeneratorDiagnostics, d => d.Id == "KAPPA045");
        string accepted = GeneratedLock(first);
        Assert.Contains("\"retired\": [\n        { \"number\": 2, \"name\": \"Orders\", \"type\": \"long\" },\n        { \"number\": 3, \"name\": \"Note\", \"type\": \"string\" }", accepted, StringComparison.Ordinal);

        var second = StateGeneratorHarness.Run(accepted, source);
        Assert.Empty(second.GeneratorDiagnostics);
        GeneratorRunner.AssertCompilesCleanly(second);
        string generated = second.Source("Demo.Region.State.g.cs");
        Assert.Contains("MigrateOrders(ref result, retired2);", generated, StringComparison.Ordinal);
        Assert.Contains("StateSchemaVersion => 2;", generated, StringComparison.Ordinal);
        Assert.Contains("// case 3: retired field Note (string) has no migration and is skipped.", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void Lock_file_round_trips_through_parse_and_write()
    {
        var result = StateGeneratorHarness.Run(null, StateSources.AllTypes);
        string json = GeneratedLock(result);
        var parsed = StateLockFile.Parse("x", json);
        Assert.Null(parsed.Error);
        Assert.Equal(["Demo.Everything", "Demo.Inner", "Demo.Point"], parsed.Types.Select(t => t.Type).ToArray());
        Assert.Equal(json, StateLockFile.WriteFile(parsed.Types));
    }

    [Fact]
    public void Parser_accepts_any_member_order_and_whitespace()
    {
        const string json = "{\"states\":[{\"fields\":[{\"type\":\"long\",\"name\":\"A\",\"number\":7}],\"schemaVersion\":2,\"type\":\"X\\u0059\"}],\"version\":1}";
        var parsed = StateLockFile.Parse("x", json);
        Assert.Null(parsed.Error);
        var type = Assert.Single(parsed.Types);
        Assert.Equal("XY", type.Type);
        Assert.Equal(2, type.SchemaVersion);
        Assert.Equal(7, Assert.Single(type.Fields).Number);
        Assert.Empty(type.Retired);
    }

    [Fact]
    public void Reordering_fields_keeps_the_locked_numbers()
    {
        var first = StateGeneratorHarness.Run(null, StateSources.RegionTotals);
        string json = GeneratedLock(first);
        string reordered = StateSources.RegionTotals.Replace(
            "public decimal Revenue;\n    public long Orders;",
            "public long Orders;\n    public decimal Revenue;",
            StringComparison.Ordinal);
        Assert.NotEqual(StateSources.RegionTotals, reordered);
        var second = StateGeneratorHarness.Run(json, reordered);
        Assert.Empty(second.GeneratorDiagnostics);
        Assert.Contains("\"state Demo.RegionTotals\\n1 Revenue decimal\\n2 Orders long\\n\"", second.Source("Demo.RegionTotals.State.g.cs"), StringComparison.Ordinal);
    }
}
