using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using static Kappa.Generators.Tests.State.StateGeneratorHarness;

namespace Kappa.Generators.Tests.State;

public class StateDiagnosticsTests
{
    private const string Header = "using System; using System.Collections.Generic; using Kappa; using Kappa.State; namespace Demo;\n";

    private static string Lock(params string[] entries) =>
        "{ \"version\": 1, \"states\": [" + string.Join(",", entries) + "] }";

    private const string RegionLock = """
        { "type": "Demo.Region", "schemaVersion": 3, "fields": [
            { "number": 1, "name": "Revenue", "type": "decimal" },
            { "number": 2, "name": "Orders", "type": "long" } ] }
        """;

    [Fact]
    public void KAPPA040_type_not_partial()
    {
        var result = Run((string?)null, Header + "[ProcessorState] public struct Region { public long Orders; }");
        Diagnostic d = Single(result, "KAPPA040");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("'Demo.Region' must be declared partial", Message(d), StringComparison.Ordinal);
        Assert.Equal("Region", result.InputCompilation.SyntaxTrees.First().ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void KAPPA040_containing_type_not_partial()
    {
        var result = Run((string?)null, Header + "public class Outer { [ProcessorState] public partial struct Region { public long Orders; } }");
        Assert.Contains("containing type 'Outer'", Message(Single(result, "KAPPA040")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[ProcessorState] public partial struct Region<T> { public long Orders; }", "generic")]
    [InlineData("[ProcessorState] public ref partial struct Region { public long Orders; }", "ref struct")]
    [InlineData("[ProcessorState] public abstract partial class Region { public long Orders; }", "abstract")]
    [InlineData("public partial class Outer<T> { [ProcessorState] public partial struct Region { public long Orders; } }", "generic")]
    public void KAPPA041_unsupported_type_kinds(string declaration, string expected)
    {
        var result = Run((string?)null, Header + declaration);
        Assert.Contains(expected, Message(Single(result, "KAPPA041")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public object Payload;", "Payload", "custom type must be marked [ProcessorState]")]
    [InlineData("public HashSet<int> Seen = new();", "Seen", "List<T>, T[] or Dictionary<string, T>")]
    [InlineData("public Dictionary<int, long> ById = new();", "ById", "dictionary keys must be string")]
    [InlineData("public DateTime At;", "At", "DateTimeOffset")]
    [InlineData("public int[,] Grid = new int[1, 1];", "Grid", "one-dimensional")]
    [InlineData("public List<Uri> Links = new();", "Links", "custom type")]
    public void KAPPA042_unsupported_field_types(string member, string field, string reason)
    {
        var result = Run((string?)null, Header + "[ProcessorState] public partial class Region { " + member + " }");
        string message = Message(Single(result, "KAPPA042"));
        Assert.Contains($"Field '{field}' of state 'Demo.Region'", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Empty(result.GeneratedSources);
    }

    [Theory]
    [InlineData("public readonly long Orders;", "a readonly field")]
    [InlineData("public long Orders { get; init; }", "an init-only property")]
    [InlineData("public long Orders { get; private set; }", "a property without a public setter")]
    public void KAPPA043_members_that_cannot_be_restored(string member, string what)
    {
        var result = Run((string?)null, Header + "[ProcessorState] public partial class Region { " + member + " }");
        Assert.Contains($"Member 'Orders' of state 'Demo.Region' is {what}", Message(Single(result, "KAPPA043")), StringComparison.Ordinal);
    }

    [Fact]
    public void Get_only_and_non_public_members_are_not_state()
    {
        var result = Run((string?)null, Header + "[ProcessorState] public partial class Region { public long Orders; public long Twice => Orders * 2; private long _cache = 1; internal long Other = 2; public long Cache() => _cache + Other; }");
        GeneratorRunner.AssertCompilesCleanly(result);
        string info = Message(Single(result, "KAPPA049"));
        Assert.Contains("\"Orders\"", info, StringComparison.Ordinal);
        Assert.DoesNotContain("Twice", info, StringComparison.Ordinal);
        Assert.DoesNotContain("_cache", info, StringComparison.Ordinal);
        Assert.DoesNotContain("Other", info, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_field_types_are_left_to_the_compiler()
    {
        var result = Run((string?)null, Header + "[ProcessorState] public partial class Region { public List<Missing> Items = new(); }");
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains(result.CompilationDiagnostics, d => d.Id == "CS0246");
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Record_class_with_parameterless_constructor_compiles()
    {
        var result = Run((string?)null, Header + "[ProcessorState] public partial record Region { public long Orders { get; set; } public List<string> Tags { get; set; } = new(); }");
        GeneratorRunner.AssertCompilesCleanly(result);
        Assert.Contains("partial record Region : global::Kappa.State.IProcessorState<global::Demo.Region>", result.Source("Demo.Region.State.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA044_class_without_parameterless_constructor()
    {
        var result = Run((string?)null, Header + "[ProcessorState] public partial class Region { public Region(long o) { Orders = o; } public long Orders; }");
        Assert.Contains("'Demo.Region' has no accessible parameterless constructor", Message(Single(result, "KAPPA044")), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA045_removed_field_without_migration()
    {
        var result = Run(Lock(RegionLock), Header + "[ProcessorState] public partial struct Region { public decimal Revenue; }");
        Diagnostic d = Single(result, "KAPPA045");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        string message = Message(d);
        Assert.Contains("Field 'Orders' (long) of state 'Demo.Region' is recorded in kappa-state.lock.json but no longer declared", message, StringComparison.Ordinal);
        Assert.Contains("[StateMigration(\"Orders\")] static void MigrateOrders(ref Region state, long oldValue)", message, StringComparison.Ordinal);
        Assert.Contains("new processor version", message, StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA046_retyped_field_without_migration()
    {
        var result = Run(Lock(RegionLock), Header + "[ProcessorState] public partial struct Region { public decimal Revenue; public int Orders; }");
        Diagnostic d = Single(result, "KAPPA046");
        Assert.Contains("Field 'Orders' of state 'Demo.Region' changed type from 'long' (recorded in kappa-state.lock.json) to 'int'", Message(d), StringComparison.Ordinal);
        Assert.Equal("Orders", result.InputCompilation.SyntaxTrees.First().ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
    }

    [Fact]
    public async Task Retyped_and_removed_fields_with_migrations_compile_and_bump_the_version()
    {
        const string source = Header + """
            [ProcessorState] public partial struct Region
            {
                public decimal Revenue;
                public int OrderCount;
                [StateMigration("Orders")] static void MigrateOrders(ref Region s, long old) => s.OrderCount = (int)old;
            }
            """;

        // The generated code, against the baseline, compiled cleanly (the harness); KAPPA049's text is checked below.
        await new KappaGeneratorTest<Kappa.Generators.State.ProcessorStateGenerator>
        {
            TestState = { Sources = { source }, AdditionalFiles = { (LockPath, Lock(RegionLock)) } },
            DisabledDiagnostics = { "KAPPA049" },
        }.ExpectBaselines("Migration").RunAsync();

        var result = Run(Lock(RegionLock), source);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        string info = Message(Single(result, "KAPPA049"));
        Assert.Contains("schema version 4", info, StringComparison.Ordinal);
        Assert.Contains("{ \"number\": 3, \"name\": \"OrderCount\", \"type\": \"int\" }", info, StringComparison.Ordinal);
        Assert.Contains("\"retired\": [\n        { \"number\": 2, \"name\": \"Orders\", \"type\": \"long\" }", info, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[StateMigration(\"Orders\")] static void M(ref Region s, int old) { }", "recorded as 'long', but the migration takes 'int'")]
    [InlineData("[StateMigration(\"Orders\")] static int M(ref Region s, long old) => 0;", "signature must be")]
    [InlineData("[StateMigration(\"Orders\")] void M(ref Region s, long old) { }", "signature must be")]
    [InlineData("[StateMigration(\"Orders\")] static void M(Region s, long old) { }", "signature must be")]
    [InlineData("[StateMigration(\"Nope\")] static void M(ref Region s, long old) { }", "'Nope' is not a removed or retyped field")]
    [InlineData("[StateMigration(\"Orders\")] static void M(ref Region s, object old) { }", "not a supported state type")]
    public void KAPPA047_invalid_migrations(string migration, string expected)
    {
        var result = Run(Lock(RegionLock), Header + "[ProcessorState] public partial struct Region { public decimal Revenue; " + migration + " }");
        Assert.Contains(expected, Message(Single(result, "KAPPA047")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"version\": 1, \"states\": [ ", "line 1, column 29: unexpected end of file")]
    [InlineData("{ \"version\": 2, \"states\": [] }", "format version 2 is not supported")]
    [InlineData("{ \"version\": 1 }", "'states' is missing")]
    [InlineData("{ \"version\": 1, \"states\": [ { \"type\": \"A\", \"schemaVersion\": 1, \"fields\": [ { \"number\": 1, \"name\": \"X\", \"type\": \"int\" }, { \"number\": 1, \"name\": \"Y\", \"type\": \"int\" } ] } ] }", "field number 1 twice")]
    public void KAPPA048_invalid_lock_file(string json, string expected)
    {
        var result = Run(json, Header + "[ProcessorState] public partial struct Region { public long Orders; }");
        Diagnostic d = Single(result, "KAPPA048");
        Assert.Contains("/project/kappa-state.lock.json", Message(d), StringComparison.Ordinal);
        Assert.True(Message(d).Contains(expected, StringComparison.Ordinal), Message(d));
    }

    [Fact]
    public void KAPPA048_two_lock_files()
    {
        var result = RunWith(
            [new InMemoryAdditionalText("/a/kappa-state.lock.json", Lock()), new InMemoryAdditionalText("/b/kappa-state.lock.json", Lock())],
            Header + "[ProcessorState] public partial struct Region { public long Orders; }");
        Assert.Contains("pass exactly one", Message(Single(result, "KAPPA048")), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA049_silent_when_the_shape_matches_the_lock()
    {
        var result = Run(Lock(RegionLock), Header + "[ProcessorState] public partial struct Region { public long Orders; public decimal Revenue; }");
        GeneratorRunner.AssertCompilesCleanly(result);
        Assert.Empty(result.GeneratorDiagnostics);

        // Field numbers come from the lock, not the declaration order, and the version is the recorded one.
        string source = result.Source("Demo.Region.State.g.cs");
        Assert.Contains("StateSchemaVersion => 3;", source, StringComparison.Ordinal);
        Assert.Contains("\"state Demo.Region\\n1 Revenue decimal\\n2 Orders long\\n\"", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Added_field_keeps_old_numbers_and_bumps_the_version()
    {
        var result = Run(Lock(RegionLock), Header + "[ProcessorState] public partial struct Region { public string? Name; public decimal Revenue; public long Orders; }");
        GeneratorRunner.AssertCompilesCleanly(result);
        Diagnostic d = Single(result, "KAPPA049");
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Contains("schema version 4", Message(d), StringComparison.Ordinal);
        Assert.Contains("\"state Demo.Region\\n1 Revenue decimal\\n2 Orders long\\n3 Name string\\n\"", result.Source("Demo.Region.State.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_state_diagnostic_has_a_help_link_and_a_docs_page()
    {
        var descriptors = typeof(Kappa.Generators.State.ProcessorStateGenerator).Assembly
            .GetType("Kappa.Generators.Common.DiagnosticDescriptors")!
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => f.GetValue(null))
            .OfType<DiagnosticDescriptor>()
            .Where(d => string.CompareOrdinal(d.Id, "KAPPA040") >= 0 && string.CompareOrdinal(d.Id, "KAPPA059") <= 0)
            .ToList();
        Assert.Equal(10, descriptors.Count);
        string docs = Path.Combine(RepoRoot(), "docs", "diagnostics");
        foreach (DiagnosticDescriptor d in descriptors)
        {
            Assert.EndsWith($"/docs/diagnostics/{d.Id}.md", d.HelpLinkUri, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(docs, d.Id + ".md")), $"missing docs/diagnostics/{d.Id}.md");
        }
    }

    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "")
    {
        string? dir = Path.GetDirectoryName(path);
        while (dir is not null && !File.Exists(Path.Combine(dir, "Gen.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Gen.sln not found above " + path);
    }
}
